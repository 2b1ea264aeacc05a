// A range query's answer written as JSON bytes straight from the engine's typed-array columns.
import { type ColumnsResult, formatSampleValue } from '@vigil/promql';

/** The steps of a range query (start, start + step, ... end): every point's timestamp is one of them. */
export interface QuerySteps {
  startMs: number;
  stepMs: number;
  endMs: number;
}

/** Bytes per chunk handed to the socket: large enough that writes are few, small enough to start sending early. */
export const CHUNK_BYTES = 256 * 1024;
// Room for one point: `,[` + a timestamp + `,"` + a value (at most ~330 characters, for 5e-324) + `"]`.
const POINT_ROOM = 400;
// Room kept for a series' labels before it starts; larger label sets grow the chunk.
const SERIES_ROOM = 4096;
const QUOTE = 0x22;
const CLOSE_BRACKET = 0x5d;

/**
 * The success envelope of a range query as JSON, in chunks of about CHUNK_BYTES: the same text as
 * `JSON.stringify` of `{status, data: {resultType: 'matrix', result: [{metric, values: [[t, "v"], ...]}]}}`
 * (times in seconds, values as formatSampleValue writes them). A dashboard query of a million points would
 * otherwise build a `[t, "v"]` pair per point and one string of a hundred megabytes. Every series shares the
 * query's steps, so the `,[<seconds>,"` text before each value is built once per step, not once per point.
 */
export function* matrixJson(result: ColumnsResult, steps: QuerySteps): Generator<Buffer> {
  const prefixes = new StepPrefixes(steps);
  const out = new ChunkedBytes();
  out.text('{"status":"success","data":{"resultType":"matrix","result":[');
  for (let s = 0; s < result.result.length; s++) {
    const { metric, timestamps, values } = result.result[s]!;
    if (out.free() < SERIES_ROOM) yield* out.flush();
    out.text(`${s === 0 ? '' : ','}{"metric":${JSON.stringify(metric)},"values":[`);
    for (let i = 0; i < timestamps.length; i++) {
      if (out.free() < POINT_ROOM) yield* out.flush();
      out.prefix(prefixes, timestamps[i]!, i === 0);
      out.ascii(formatSampleValue(values[i]!));
      out.byte(QUOTE);
      out.byte(CLOSE_BRACKET);
    }
    out.text(']}');
  }
  out.text(']}');
  if (result.warnings?.length) out.text(`,"warnings":${JSON.stringify(result.warnings)}`);
  if (result.infos?.length) out.text(`,"infos":${JSON.stringify(result.infos)}`);
  out.text('}');
  yield* out.flush();
}

/** The bytes `,[<seconds>,"` of every step, one after another. */
class StepPrefixes {
  readonly bytes: Buffer;
  /** Where step i's prefix starts in `bytes`; entry `count` is the end. */
  readonly at: Uint32Array;
  private readonly steps: QuerySteps;
  private readonly count: number;

  constructor(steps: QuerySteps) {
    this.steps = steps;
    this.count = Math.floor((steps.endMs - steps.startMs) / steps.stepMs) + 1;
    let text = '';
    this.at = new Uint32Array(this.count + 1);
    for (let i = 0; i < this.count; i++) {
      this.at[i] = text.length;
      text += prefixText(steps.startMs + i * steps.stepMs);
    }
    this.at[this.count] = text.length;
    this.bytes = Buffer.from(text, 'latin1');
  }

  /** The step whose time is exactly `t` ms, or -1 (a point off the grid is written from its own time). */
  indexOf(t: number): number {
    const i = Math.round((t - this.steps.startMs) / this.steps.stepMs);
    return i >= 0 && i < this.count && this.steps.startMs + i * this.steps.stepMs === t ? i : -1;
  }
}

function prefixText(t: number): string {
  return `,[${t / 1000},"`;
}

/** A growing list of fixed-size byte chunks; `flush` hands over the full ones and starts a new one. */
class ChunkedBytes {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;

  free(): number {
    return this.buf.length - this.pos;
  }

  /** Any text (labels may be any Unicode), written as UTF-8. */
  text(s: string): void {
    const bytes = Buffer.byteLength(s);
    if (bytes > this.free()) this.grow(bytes);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A string known to be ASCII (a formatted number), with room already checked. */
  ascii(s: string): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < s.length; k++) buf[pos++] = s.charCodeAt(k);
    this.pos = pos;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** `,[<seconds>,"` of time `t` (without the comma for a series' first point), with room already checked. */
  prefix(prefixes: StepPrefixes, t: number, first: boolean): void {
    const i = prefixes.indexOf(t);
    if (i < 0) {
      this.ascii(prefixText(t).slice(first ? 1 : 0));
      return;
    }
    const { bytes, at } = prefixes;
    const buf = this.buf;
    let pos = this.pos;
    const end = at[i + 1]!;
    for (let k = at[i]! + (first ? 1 : 0); k < end; k++) buf[pos++] = bytes[k]!;
    this.pos = pos;
  }

  /** The bytes written since the last flush, if any. */
  *flush(): Generator<Buffer> {
    if (this.pos === 0) return;
    const full = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    yield full;
  }

  // A text larger than what is left (labels of many kilobytes): the chunk grows to hold it.
  private grow(bytes: number): void {
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
