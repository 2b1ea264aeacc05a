import { TsdbError } from '../errors.js';
import { CHARS_TABLE } from './chars.js';
import { unescapeText } from './escapes.js';
import { LabelSet, NAME_ESCAPED, NAME_QUOTED, VALUE_ESCAPED } from './label-set.js';
import { TextCursor } from './text-cursor.js';
import type { ExpositionLimits } from './types.js';

// Local copies, not imports: an imported binding is live, so V8 reloads and checks it on every
// use, which in these per-character loops cost a quarter of the throughput (measured).
// The class bits match chars.ts.
const CLOSE = 125;
const COMMA = 44;
const EQUAL = 61;
const LABEL_CHAR = 8;
const LABEL_START = 4;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const CHARS = CHARS_TABLE;

/** Label blocks (`{a="x",...}`) of series and exemplars, with the scrape limits on them. */
export abstract class LabelBlockReader extends TextCursor {
  protected readonly labelLimit: number;
  protected readonly nameLengthLimit: number;
  protected readonly valueLengthLimit: number;
  protected readonly seriesLabels = new LabelSet();
  protected readonly exemplarLabels = new LabelSet();
  // A quoted string alone in a series's braces: the metric name (UTF-8 names of newer Prometheus).
  protected braceName: string | undefined;

  constructor(text: string, om: boolean, limits: ExpositionLimits) {
    super(text, om);
    this.labelLimit = limit(limits.labelLimit, 'labelLimit');
    this.nameLengthLimit = limit(limits.labelNameLengthLimit, 'labelNameLengthLimit');
    this.valueLengthLimit = limit(limits.labelValueLengthLimit, 'labelValueLengthLimit');
  }

  /** The current sample's metric name (the value-length limit applies to it). */
  protected abstract metricName(): string;

  // Reads `{...}` starting at `open`; returns the position after `}`.
  protected labelBlock(open: number, set: LabelSet, allowName: boolean): number {
    const text = this.text;
    const om = this.om;
    let pos = open + 1;
    let c = text.charCodeAt(pos);
    if (!om) while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    if (c === CLOSE) return pos + 1;
    let first = true;
    for (;;) {
      const nameStart = pos;
      let flags = 0;
      let nameBytes: number;
      if (c < 128 && (CHARS[c]! & LABEL_START) !== 0) {
        c = text.charCodeAt(++pos);
        while (c < 128 && (CHARS[c]! & LABEL_CHAR) !== 0) c = text.charCodeAt(++pos);
        nameBytes = pos - nameStart;
      } else if (c === QUOTE) {
        pos = this.quoted(pos);
        flags = NAME_QUOTED | (this.quotedEscaped ? NAME_ESCAPED : 0);
        nameBytes = this.quotedBytes;
        c = text.charCodeAt(pos);
      } else {
        this.fail('VIGIL_PARSE', `expected a label name${first ? ' or "}"' : ''}, got ${this.found(pos)}`, pos);
      }
      const nameEnd = pos;
      if (!om) while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
      if (allowName && flags !== 0 && (c === COMMA || c === CLOSE) && this.braceName === undefined && set.count === 0) {
        // A quoted string alone is the metric name (UTF-8 names of newer Prometheus).
        this.braceName = unescapeText(text, nameStart + 1, nameEnd - 1, true);
      } else {
        if (c !== EQUAL) {
          this.fail(
            'VIGIL_PARSE',
            `expected "=" after label name ${this.quote(nameStart, nameEnd)}, got ${this.found(pos)}`,
            pos,
          );
        }
        c = text.charCodeAt(++pos);
        if (!om) while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
        if (c !== QUOTE) {
          this.fail('VIGIL_PARSE', `expected a quoted label value, got ${this.found(pos)}`, pos);
        }
        const valueStart = pos;
        pos = this.quoted(pos);
        set.push(nameStart, nameEnd, valueStart + 1, pos - 1, flags | (this.quotedEscaped ? VALUE_ESCAPED : 0));
        this.checkLabel(set, nameStart, nameBytes, valueStart);
        c = text.charCodeAt(pos);
        if (!om) while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
      }
      if (c === CLOSE) return pos + 1;
      if (c !== COMMA) this.fail('VIGIL_PARSE', `expected "," or "}" after a label, got ${this.found(pos)}`, pos);
      c = text.charCodeAt(++pos);
      if (!om) while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
      // Prometheus allows a trailing comma in text, not in OpenMetrics.
      if (c === CLOSE && !om) return pos + 1;
      first = false;
    }
  }

  // Checks the label just pushed: limits, order against the previous one, `__name__`.
  protected checkLabel(set: LabelSet, nameStart: number, nameBytes: number, valueStart: number): void {
    const i = set.count - 1;
    const series = set === this.seriesLabels;
    if (series && this.nameLengthLimit > 0 && nameBytes > this.nameLengthLimit) {
      this.fail(
        'VIGIL_PARSE_LIMIT',
        `label_name_length_limit exceeded: label name ${this.quote(nameStart, set.offsets[i * 4 + 1]!)} is ${nameBytes} bytes, limit ${this.nameLengthLimit} (labelNameLengthLimit)`,
        nameStart,
      );
    }
    if (series && this.valueLengthLimit > 0 && this.quotedBytes > this.valueLengthLimit) {
      this.fail(
        'VIGIL_PARSE_LIMIT',
        `label_value_length_limit exceeded: the value of label ${this.quote(nameStart, set.offsets[i * 4 + 1]!)} is ${this.quotedBytes} bytes, limit ${this.valueLengthLimit} (labelValueLengthLimit)`,
        valueStart,
      );
    }
    if (series && nameBytes === 8 && set.name(this.text, i) === '__name__') {
      this.fail('VIGIL_PARSE', 'duplicate label name "__name__": the metric name is already given', nameStart);
    }
    if (i === 0 || set.unsorted) return;
    const order = set.compareNames(this.text, i - 1, i);
    if (order === 0) this.failDuplicate(set, i);
    if (order === undefined || order > 0) set.unsorted = true;
  }

  // Checks a series once its labels are read: the label count limit and duplicates out of order.
  protected checkSeries(start: number): void {
    const set = this.seriesLabels;
    if (this.labelLimit > 0 && set.count + 1 > this.labelLimit) {
      this.fail(
        'VIGIL_PARSE_LIMIT',
        `label_limit exceeded: series has ${set.count + 1} labels with __name__, limit ${this.labelLimit} (labelLimit)`,
        start,
      );
    }
    if (this.valueLengthLimit > 0 && utf8Length(this.metricName()) > this.valueLengthLimit) {
      this.fail(
        'VIGIL_PARSE_LIMIT',
        `label_value_length_limit exceeded: metric name is ${utf8Length(this.metricName())} bytes, limit ${this.valueLengthLimit} (labelValueLengthLimit)`,
        start,
      );
    }
    if (set.unsorted) {
      const duplicate = set.findDuplicate(this.text);
      if (duplicate >= 0) this.failDuplicate(set, duplicate);
    }
  }

  protected failDuplicate(set: LabelSet, i: number): never {
    const name = set.name(this.text, i);
    this.fail('VIGIL_PARSE', `duplicate label name ${JSON.stringify(name)}`, set.offsets[i * 4]!);
  }
}

/** A limit option as a number, 0 meaning none; throws VIGIL_TSDB_BAD_OPTION when it is not a non-negative integer. */
export function limit(value: number | undefined, option: string): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TsdbError(
      'VIGIL_TSDB_BAD_OPTION',
      `${option} must be a non-negative integer (0 = no limit), got ${value}`,
    );
  }
  return value;
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdfff ? 1 : 2;
  }
  return bytes;
}
