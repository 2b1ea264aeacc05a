import { TsdbError } from '../errors.js';
import { CHARS_TABLE } from './chars.js';
import { CREATED_MEMBER, membership, membershipAt, NOT_MEMBER } from './families.js';
import { limit } from './label-block.js';
import { MetadataReader } from './metadata-lines.js';
import { parseFloatToken, parseIntegerToken } from './numbers.js';
import { LINE_END, LINE_METADATA, LINE_SAMPLE, LINE_SKIPPED } from './text-cursor.js';
import type { Exemplar, ExpositionFormat, ExpositionParseOptions, FamilyMetadata, Sample } from './types.js';

// Local copies, not imports: an imported binding is live, so V8 reloads and checks it on every
// use, which in these per-character loops cost a quarter of the throughput (measured).
// The class bits match chars.ts.
const HASH = 35;
const LF = 10;
const METRIC_CHAR = 2;
const METRIC_START = 1;
const OPEN = 123;
const SPACE = 32;
const TAB = 9;
const CHARS = CHARS_TABLE;

/**
 * A pull parser over one exposition: `next()` moves to the next family or sample and the
 * getters read it. Nothing is built that is not asked for: `series` is a slice of the input
 * and the labels stay offsets until `labels()`, so a scrape loop with a series cache pays
 * for strings only on a miss. Any malformed line throws a `TsdbError` (`VIGIL_PARSE`, or
 * `VIGIL_PARSE_LIMIT`) with its line and column: the scrape fails whole.
 */
export class ExpositionParser extends MetadataReader {
  /** The grammar in use. */
  readonly format: ExpositionFormat;
  readonly #sampleLimit: number;
  readonly #skipCreated: boolean;
  #samples = 0;
  // The current sample. The name is built on first use; a plain name stays offsets until then
  // (a start of -1: it was quoted, and is built already).
  #name: string | undefined;
  #nameStart = 0;
  #nameEnd = 0;
  #seriesStart = 0;
  #seriesEnd = 0;
  #value = 0;
  #timestampMs: number | undefined;
  #exemplar: Exemplar | undefined;
  #created = false;
  #sampleFamily: FamilyMetadata | undefined;
  #sampleReady = false;
  // Whether the current entry is a sample, and whether its family was looked up (done on demand).
  #onSample = false;
  #familyResolved = false;
  #entryLine = 1;
  #entryLineStart = 0;

  constructor(text: string, options: ExpositionParseOptions) {
    super(text, checkedFormat(options.format), options);
    this.format = options.format;
    this.#sampleLimit = limit(options.sampleLimit, 'sampleLimit');
    this.#skipCreated = options.skipCreatedSeries === true;
  }

  /** Moves to the next entry: `'family'` (read `metadata`), `'sample'` (read the sample getters), or undefined at the end. */
  next(): 'family' | 'sample' | undefined {
    if (this.#sampleReady) {
      this.#sampleReady = false;
      this.#onSample = true;
      return 'sample';
    }
    this.#onSample = false;
    for (;;) {
      const kind = this.#readLine();
      if (kind === LINE_SKIPPED) continue;
      if (kind === LINE_METADATA) {
        if (this.completed !== undefined) return 'family';
        continue;
      }
      const flushed = this.flush();
      if (kind === LINE_END) return flushed ? 'family' : undefined;
      const skip = this.#countSample();
      if (flushed) {
        this.#sampleReady = !skip;
        return 'family';
      }
      if (skip) continue;
      this.#onSample = true;
      return 'sample';
    }
  }

  /** After `'family'`: the family just completed. After `'sample'`: the sample's family, if one was declared. */
  get metadata(): FamilyMetadata | undefined {
    if (!this.#onSample) return this.completed;
    this.#resolveFamily();
    return this.#sampleFamily;
  }

  /** The current sample's metric name. */
  get name(): string {
    this.#name ??= this.text.slice(this.#nameStart, this.#nameEnd);
    return this.#name;
  }

  /** The current sample's series as written (name and label block): a cache key, not a canonical identity. */
  get series(): string {
    return this.text.slice(this.#seriesStart, this.#seriesEnd);
  }

  /** The current sample's value. */
  get value(): number {
    return this.#value;
  }

  /** The current sample's timestamp in milliseconds, if the line had one. */
  get timestampMs(): number | undefined {
    return this.#timestampMs;
  }

  /** The current sample's exemplar (OpenMetrics), if the line had one. */
  get exemplar(): Exemplar | undefined {
    return this.#exemplar;
  }

  /** Whether the current sample is the `_created` series of its family. */
  get created(): boolean {
    this.#resolveFamily();
    return this.#created;
  }

  /** The 1-based line of the current sample. */
  get line(): number {
    return this.#entryLine;
  }

  /** Samples read so far (what `sampleLimit` counts). */
  get samples(): number {
    return this.#samples;
  }

  /** The current sample's labels (without `__name__`), sorted by name, as new objects. */
  labels(): Sample['labels'] {
    return this.seriesLabels.toLabels(this.text);
  }

  /** The current sample as one object. */
  sample(): Sample {
    return {
      name: this.name,
      labels: this.labels(),
      series: this.series,
      value: this.#value,
      timestampMs: this.#timestampMs,
      exemplar: this.#exemplar,
      family: this.metadata,
      created: this.created,
    };
  }

  // Counts the sample just read against sampleLimit; true when it is a `_created` sample to skip.
  #countSample(): boolean {
    this.#familyResolved = false;
    if (this.#skipCreated && this.created) return true;
    if (++this.#samples > this.#sampleLimit && this.#sampleLimit > 0) {
      throw new TsdbError(
        'VIGIL_PARSE_LIMIT',
        `sample_limit exceeded: more than ${this.#sampleLimit} samples (sampleLimit)`,
        {
          position: { line: this.#entryLine, column: this.#seriesStart - this.#entryLineStart + 1 },
        },
      );
    }
    return false;
  }

  // Finds the current sample's family (its name or a suffix its type owns), once per sample.
  #resolveFamily(): void {
    if (this.#familyResolved) return;
    this.#familyResolved = true;
    const family = this.currentFamily;
    const member =
      family === undefined
        ? NOT_MEMBER
        : this.#nameStart >= 0 && this.familyNameStart >= 0
          ? membershipAt(
              this.text,
              this.familyNameStart,
              family.name.length,
              this.familySuffixes,
              this.#nameStart,
              this.#nameEnd,
            )
          : membership(family, this.name);
    this.#sampleFamily = member === NOT_MEMBER ? undefined : family;
    this.#created = member === CREATED_MEMBER;
  }

  #readLine(): number {
    if (this.done) return LINE_END;
    const text = this.text;
    let pos = this.pos;
    let c = text.charCodeAt(pos);
    if (!this.om) {
      while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    }
    if (pos >= this.end) {
      if (this.om) this.fail('VIGIL_PARSE', 'expected "# EOF" as the last line, got end of input', pos);
      this.done = true;
      return LINE_END;
    }
    if (c === HASH) return this.om ? this.openMetricsComment(pos) : this.prometheusComment(pos);
    if (c === LF) {
      if (this.om) this.fail('VIGIL_PARSE', 'blank lines are not allowed in OpenMetrics', pos);
      this.newLine(pos);
      return LINE_SKIPPED;
    }
    if (pos !== this.pos) {
      // Prometheus takes the whitespace into the metric name and fails the scrape; so does Vigil.
      this.fail('VIGIL_PARSE', 'expected a sample line to start with its metric name, got whitespace', this.pos);
    }
    this.#sampleLine(pos);
    return LINE_SAMPLE;
  }

  #sampleLine(start: number): void {
    const text = this.text;
    const om = this.om;
    let pos = start;
    let c = text.charCodeAt(pos);
    let named = false;
    this.#entryLine = this.lineNo;
    this.#entryLineStart = this.lineStart;
    this.seriesLabels.reset();
    this.braceName = undefined;
    this.#exemplar = undefined;
    this.#timestampMs = undefined;
    if (c < 128 && (CHARS[c]! & METRIC_START) !== 0) {
      c = text.charCodeAt(++pos);
      while (c < 128 && (CHARS[c]! & METRIC_CHAR) !== 0) c = text.charCodeAt(++pos);
      named = true;
      this.#nameStart = start;
      this.#nameEnd = pos;
      this.#name = undefined;
      this.#seriesEnd = pos;
      if (!om && (c === SPACE || c === TAB)) {
        // Prometheus text allows whitespace between the name and "{".
        let ahead = pos + 1;
        while (text.charCodeAt(ahead) === SPACE || text.charCodeAt(ahead) === TAB) ahead++;
        if (text.charCodeAt(ahead) === OPEN) {
          pos = ahead;
          c = OPEN;
        }
      }
    } else if (c !== OPEN) {
      this.fail('VIGIL_PARSE', `expected a metric name, "{" or "#", got ${this.found(pos)}`, pos);
    }
    if (c === OPEN) {
      pos = this.labelBlock(pos, this.seriesLabels, !named);
      this.#seriesEnd = pos;
      if (!named) {
        if (this.braceName === undefined) {
          this.fail(
            'VIGIL_PARSE',
            'expected a metric name before "{" or as the first quoted string inside it',
            pos - 1,
          );
        }
        this.#name = this.braceName;
        this.#nameStart = -1;
      }
      c = text.charCodeAt(pos);
    }
    this.#seriesStart = start;
    this.checkSeries(start);

    // The value: after one space in OpenMetrics; in Prometheus text after optional whitespace,
    // since its lexer ends the series at the first character that cannot continue it.
    if (om) {
      if (c !== SPACE) this.fail('VIGIL_PARSE', `expected a space and the value, got ${this.found(pos)}`, pos);
      c = text.charCodeAt(++pos);
    } else {
      while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    }
    const valueStart = pos;
    pos = this.tokenEnd(pos);
    const value = valueStart === pos ? undefined : parseFloatToken(text, valueStart, pos);
    if (value === undefined) this.failToken('a number as the value', valueStart, pos);
    this.#value = value!;
    if (om) this.#openMetricsSampleEnd(pos);
    else this.#prometheusSampleEnd(pos);
  }

  // After the value of a Prometheus text sample: an optional integer timestamp in milliseconds.
  #prometheusSampleEnd(from: number): void {
    const text = this.text;
    let pos = from;
    let c = text.charCodeAt(pos);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    if (this.atLineEnd(pos)) return;
    if (c === HASH) {
      this.fail('VIGIL_PARSE', 'exemplars ("# {...}") are only allowed in OpenMetrics, got "#"', pos);
    }
    const tsStart = pos;
    pos = this.tokenEnd(pos);
    const ts = parseIntegerToken(text, tsStart, pos);
    if (ts === undefined) this.failToken('a timestamp in integer milliseconds or end of line', tsStart, pos);
    this.#timestampMs = ts;
    c = text.charCodeAt(pos);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    if (!this.atLineEnd(pos)) {
      this.fail('VIGIL_PARSE', `expected end of line after the timestamp, got ${this.found(pos)}`, pos);
    }
  }

  // After the value of an OpenMetrics sample: an optional timestamp in seconds, an optional exemplar.
  #openMetricsSampleEnd(from: number): void {
    const text = this.text;
    let pos = from;
    if (this.atLineEnd(pos)) return;
    if (text.charCodeAt(pos) !== SPACE)
      this.fail('VIGIL_PARSE', `expected a space or end of line, got ${this.found(pos)}`, pos);
    pos++;
    if (text.charCodeAt(pos) !== HASH) {
      const tsStart = pos;
      pos = this.tokenEnd(pos);
      this.#timestampMs = this.#secondsTimestamp(tsStart, pos, 'a timestamp in seconds or "# {" (an exemplar)');
      if (this.atLineEnd(pos)) return;
      if (text.charCodeAt(pos) !== SPACE || text.charCodeAt(pos + 1) !== HASH) {
        this.fail('VIGIL_PARSE', `expected end of line or " # {" (an exemplar), got ${this.found(pos)}`, pos);
      }
      pos++;
    }
    const name = this.name;
    if (!name.endsWith('_total') && !name.endsWith('_bucket')) {
      this.fail(
        'VIGIL_PARSE',
        `metric name ${JSON.stringify(name)} does not support exemplars (only names ending in _total or _bucket do)`,
        pos,
      );
    }
    this.#exemplar = this.#readExemplar(pos);
  }

  // `# {labels} value [timestamp]` up to and including the line end.
  #readExemplar(hash: number): Exemplar {
    const text = this.text;
    if (text.charCodeAt(hash + 1) !== SPACE || text.charCodeAt(hash + 2) !== OPEN) {
      const at = text.charCodeAt(hash + 1) !== SPACE ? hash + 1 : hash + 2;
      this.fail('VIGIL_PARSE', `expected "# {" to start an exemplar, got ${this.found(at)}`, at);
    }
    const set = this.exemplarLabels;
    set.reset();
    let pos = this.labelBlock(hash + 2, set, false);
    if (text.charCodeAt(pos) !== SPACE) {
      this.fail('VIGIL_PARSE', `expected a space and the exemplar value, got ${this.found(pos)}`, pos);
    }
    const valueStart = ++pos;
    pos = this.tokenEnd(pos);
    const value = valueStart === pos ? undefined : parseFloatToken(text, valueStart, pos);
    if (value === undefined) this.failToken('a number as the exemplar value', valueStart, pos);
    let timestampMs: number | undefined;
    if (!this.atLineEnd(pos)) {
      if (text.charCodeAt(pos) !== SPACE) {
        this.fail('VIGIL_PARSE', `expected a space or end of line, got ${this.found(pos)}`, pos);
      }
      const tsStart = ++pos;
      pos = this.tokenEnd(pos);
      timestampMs = this.#secondsTimestamp(tsStart, pos, 'a timestamp in seconds as the exemplar timestamp');
      if (!this.atLineEnd(pos)) {
        this.fail('VIGIL_PARSE', `expected end of line after the exemplar timestamp, got ${this.found(pos)}`, pos);
      }
    }
    const duplicate = set.unsorted ? set.findDuplicate(text) : -1;
    if (duplicate >= 0) this.failDuplicate(set, duplicate);
    return { labels: set.toLabels(text), value: value!, timestampMs };
  }

  #secondsTimestamp(start: number, end: number, expected: string): number {
    const seconds = start === end ? undefined : parseFloatToken(this.text, start, end);
    if (seconds === undefined || !Number.isFinite(seconds)) this.failToken(expected, start, end);
    // Truncated as Prometheus does (int64(seconds*1000)), so both store the same millisecond.
    return Math.trunc(seconds! * 1000);
  }

  protected metricName(): string {
    return this.name;
  }
}

function checkedFormat(format: ExpositionFormat): ExpositionFormat {
  if (format !== 'prometheus' && format !== 'openmetrics') {
    throw new TsdbError('VIGIL_TSDB_BAD_OPTION', `format must be "prometheus" or "openmetrics", got ${String(format)}`);
  }
  return format;
}
