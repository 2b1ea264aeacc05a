// A range query's answer written as JSON bytes straight from the engine's typed-array columns.
import { type ColumnsResult, formatSampleValue } from '@vigil/promql';
import { writeShortDecimal } from './short-decimal.js';

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
    if (out.free() < SERIES_ROOM) yield out.take();
    out.text(`${s === 0 ? '' : ','}{"metric":${JSON.stringify(metric)},"values":[`);
    for (let i = 0; i < timestamps.length; ) {
      if (out.free() < POINT_ROOM) yield out.take();
      i = out.points(prefixes, timestamps, values, i);
    }
    out.text(']}');
  }
  out.text(']}');
  if (result.warnings?.length) out.text(`,"warnings":${JSON.stringify(result.warnings)}`);
  if (result.infos?.length) out.text(`,"infos":${JSON.stringify(result.infos)}`);
  out.text('}');
  yield out.take();
}

// A step's `,[<seconds>,"` as 32-bit words: five stores write up to 20 bytes (a point's room covers what lies past
// the prefix, which the value overwrites). The words hold the bytes in this machine's order, and are stored so.
const WORDS = 5;
const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The `,[<seconds>,"` text before a value at each step, built once per query. */
class StepPrefixes {
  /** Step i's prefix in words[i * WORDS ..]; its length in bytes, or 0 when it is too long for them. */
  readonly words: Uint32Array;
  readonly lengths: Uint8Array;
  /** Each step's time (ms). */
  readonly times: Float64Array;
  private readonly steps: QuerySteps;
  private readonly count: number;

  constructor(steps: QuerySteps) {
    this.steps = steps;
    this.count = Math.floor((steps.endMs - steps.startMs) / steps.stepMs) + 1;
    this.words = new Uint32Array(this.count * WORDS);
    this.lengths = new Uint8Array(this.count);
    this.times = new Float64Array(this.count);
    const bytes = new Uint8Array(this.words.buffer);
    for (let i = 0; i < this.count; i++) {
      this.times[i] = steps.startMs + i * steps.stepMs;
      const text = prefixText(this.times[i]!);
      if (text.length > WORDS * 4) continue;
      this.lengths[i] = text.length;
      for (let k = 0; k < text.length; k++) bytes[i * WORDS * 4 + k] = text.charCodeAt(k);
    }
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

/** JSON written into chunks of CHUNK_BYTES; `take` hands over the current one and starts the next. */
class ChunkedBytes {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private view = viewOf(this.buf);
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

  /**
   * Points `from` on of a series as `[<seconds>,"<value>"]`, comma-separated, until the series ends or the chunk is
   * full; returns the index of the first point not written. A plain loop (not the generator's) so it stays optimized.
   */
  points(prefixes: StepPrefixes, timestamps: Float64Array, values: Float64Array, from: number): number {
    const buf = this.buf;
    const view = this.view;
    const { words, lengths, times } = prefixes;
    const last = buf.length - POINT_ROOM;
    let pos = this.pos;
    let i = from;
    let step = -1;
    for (; i < timestamps.length && pos <= last; i++) {
      const t = timestamps[i]!;
      // Points mostly sit at consecutive steps: try the one after the last before computing it.
      step = step + 1 < times.length && times[step + 1] === t ? step + 1 : prefixes.indexOf(t);
      const length = step < 0 || i === 0 ? 0 : lengths[step]!;
      if (length > 0) {
        const w = step * WORDS;
        view.setUint32(pos, words[w]!, NATIVE_LITTLE_ENDIAN);
        view.setUint32(pos + 4, words[w + 1]!, NATIVE_LITTLE_ENDIAN);
        view.setUint32(pos + 8, words[w + 2]!, NATIVE_LITTLE_ENDIAN);
        view.setUint32(pos + 12, words[w + 3]!, NATIVE_LITTLE_ENDIAN);
        view.setUint32(pos + 16, words[w + 4]!, NATIVE_LITTLE_ENDIAN);
        pos += length;
      } else {
        // The first point of a series has no comma before it.
        const text = prefixText(t);
        for (let k = i === 0 ? 1 : 0; k < text.length; k++) buf[pos++] = text.charCodeAt(k);
      }
      const v = values[i]!;
      const after = writeShortDecimal(buf, pos, v);
      if (after >= 0) {
        pos = after;
      } else {
        const value = formatSampleValue(v);
        for (let k = 0; k < value.length; k++) buf[pos++] = value.charCodeAt(k);
      }
      buf[pos++] = QUOTE;
      buf[pos++] = CLOSE_BRACKET;
    }
    this.pos = pos;
    return i;
  }

  /** The bytes written so far; writing goes on in a new chunk. */
  take(): Buffer {
    const full = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.view = viewOf(this.buf);
    this.pos = 0;
    return full;
  }

  // A text larger than what is left (labels of many kilobytes): the chunk grows to hold it.
  private grow(bytes: number): void {
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = viewOf(next);
  }
}

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
