import { CHARS_TABLE } from './chars.js';
import { unescapeText } from './escapes.js';
import { DEFAULT_TYPE, FORMAT_TYPES, suffixesOf } from './families.js';
import { LabelBlockReader } from './label-block.js';
import { LINE_END, LINE_METADATA } from './text-cursor.js';
import type { ExpositionFormat, ExpositionLimits, FamilyMetadata, MetricType } from './types.js';

// Local copies, not imports: an imported binding is live, so V8 reloads and checks it on every
// use, which in these per-character loops cost a quarter of the throughput (measured).
// The class bits match chars.ts.
const LF = 10;
const METRIC_CHAR = 2;
const METRIC_START = 1;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const CHARS = CHARS_TABLE;

// Bits of the metadata a pending family has already seen.
const HAS_HELP = 1;
const HAS_TYPE = 2;
const HAS_UNIT = 4;

/**
 * HELP, TYPE and UNIT lines (and comments, and OpenMetrics's `# EOF`), gathered into one
 * family per name: a family is complete when a line for another name, a sample or the end
 * of input comes.
 */
export abstract class MetadataReader extends LabelBlockReader {
  protected readonly types: ReadonlySet<string>;
  protected readonly defaultType: MetricType;
  // The family whose metadata lines are being read, and what it has seen.
  protected pending: FamilyMetadata | undefined;
  protected pendingHas = 0;
  // Where the pending/current family's name sits in the text (-1 when it was quoted).
  protected pendingNameStart = -1;
  protected familyNameStart = -1;
  // The family completed last (samples belong to it), its type's suffixes, and the one to report.
  protected currentFamily: FamilyMetadata | undefined;
  protected familySuffixes: readonly string[] = [];
  protected completed: FamilyMetadata | undefined;

  constructor(text: string, format: ExpositionFormat, limits: ExpositionLimits) {
    super(text, format === 'openmetrics', limits);
    this.types = FORMAT_TYPES[format];
    this.defaultType = DEFAULT_TYPE[format];
  }

  // Reports the pending family, if any, as the current metadata.
  protected flush(): boolean {
    const pending = this.pending;
    this.completed = pending;
    if (pending === undefined) return false;
    this.currentFamily = pending;
    this.familySuffixes = suffixesOf(pending.type);
    this.familyNameStart = this.pendingNameStart;
    this.pending = undefined;
    return true;
  }

  // `# HELP`, `# TYPE` or a comment, in Prometheus text.
  protected prometheusComment(hash: number): number {
    const text = this.text;
    let pos = hash + 1;
    let c = text.charCodeAt(pos);
    if (c !== SPACE && c !== TAB) return this.skipLine(pos);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    const keyword = text.startsWith('HELP', pos) ? HAS_HELP : text.startsWith('TYPE', pos) ? HAS_TYPE : 0;
    c = text.charCodeAt(pos + 4);
    if (keyword === 0 || (c !== SPACE && c !== TAB)) return this.skipLine(pos);
    pos += 4;
    while (c === SPACE || c === TAB) c = text.charCodeAt(++pos);
    const nameEnd = this.metadataName(pos, keyword);
    const name = this.nameAt(pos, nameEnd);
    const nameStart = text.charCodeAt(pos) === QUOTE ? -1 : pos;
    pos = nameEnd;
    let lf = text.indexOf('\n', pos);
    if (lf < 0) lf = this.end;
    let textEnd = lf;
    c = text.charCodeAt(pos);
    if (pos < textEnd && c !== SPACE && c !== TAB) {
      this.fail('VIGIL_PARSE', `expected whitespace after the metric name, got ${this.found(pos)}`, pos);
    }
    // Like Prometheus, one whitespace character separates the name from the text.
    const textStart = pos < textEnd ? pos + 1 : pos;
    if (textEnd < textStart) textEnd = textStart;
    const value = keyword === HAS_HELP ? unescapeText(text, textStart, textEnd, false) : text.slice(textStart, textEnd);
    this.metadataLine(keyword, name, nameStart, value, textStart);
    return this.endMetadataLine(lf);
  }

  // `# HELP`, `# TYPE`, `# UNIT` or `# EOF`, in OpenMetrics: no other comments exist.
  protected openMetricsComment(hash: number): number {
    const text = this.text;
    let pos = hash + 1;
    const expected = 'expected "# HELP", "# TYPE", "# UNIT" or "# EOF"';
    if (text.charCodeAt(pos) !== SPACE) this.fail('VIGIL_PARSE', `${expected}, got ${this.found(pos)}`, pos);
    pos++;
    if (text.startsWith('EOF', pos) && (pos + 3 === this.end || text.charCodeAt(pos + 3) === LF)) {
      pos += 3;
      if (pos + 1 < this.end) {
        this.newLine(pos);
        this.fail('VIGIL_PARSE', 'unexpected data after "# EOF"', pos + 1);
      }
      this.done = true;
      this.pos = this.end;
      return LINE_END;
    }
    const keyword = text.startsWith('HELP ', pos)
      ? HAS_HELP
      : text.startsWith('TYPE ', pos)
        ? HAS_TYPE
        : text.startsWith('UNIT ', pos)
          ? HAS_UNIT
          : 0;
    if (keyword === 0) this.fail('VIGIL_PARSE', `${expected}, got ${this.found(pos)}`, pos);
    pos += 5;
    const nameEnd = this.metadataName(pos, keyword);
    const name = this.nameAt(pos, nameEnd);
    const nameStart = text.charCodeAt(pos) === QUOTE ? -1 : pos;
    pos = nameEnd;
    if (text.charCodeAt(pos) !== SPACE) {
      this.fail('VIGIL_PARSE', `expected a space after the metric name, got ${this.found(pos)}`, pos);
    }
    const textStart = pos + 1;
    const lf = text.indexOf('\n', textStart);
    if (lf < 0) this.fail('VIGIL_PARSE', 'expected "# EOF" as the last line, got end of input', this.end);
    const value = keyword === HAS_HELP ? unescapeText(text, textStart, lf, true) : text.slice(textStart, lf);
    if (keyword === HAS_UNIT && value !== '' && !(name.endsWith(value) && name.endsWith(`_${value}`))) {
      this.fail(
        'VIGIL_PARSE',
        `unit ${JSON.stringify(value)} is not a suffix of metric name ${JSON.stringify(name)}`,
        textStart,
      );
    }
    this.metadataLine(keyword, name, nameStart, value, textStart);
    return this.endMetadataLine(lf);
  }

  // The end of the metric name of a HELP/TYPE/UNIT line starting at `pos`.
  protected metadataName(pos: number, keyword: number): number {
    const text = this.text;
    let c = text.charCodeAt(pos);
    if (c === QUOTE) return this.quoted(pos);
    if (c >= 128 || (CHARS[c]! & METRIC_START) === 0) {
      const word = keyword === HAS_HELP ? 'HELP' : keyword === HAS_TYPE ? 'TYPE' : 'UNIT';
      this.fail('VIGIL_PARSE', `expected a metric name after "# ${word}", got ${this.found(pos)}`, pos);
    }
    let end = pos + 1;
    c = text.charCodeAt(end);
    while (c < 128 && (CHARS[c]! & METRIC_CHAR) !== 0) c = text.charCodeAt(++end);
    return end;
  }

  // Adds one HELP/TYPE/UNIT to the pending family, completing the previous family when the name changes.
  protected metadataLine(keyword: number, name: string, nameStart: number, value: string, valueStart: number): void {
    if (keyword === HAS_TYPE && !this.types.has(value)) {
      const known = [...this.types].join(', ');
      this.fail('VIGIL_PARSE', `unknown metric type ${JSON.stringify(value)}, expected one of ${known}`, valueStart);
    }
    let pending = this.pending;
    this.completed = undefined;
    if (pending === undefined || pending.name !== name || (this.pendingHas & keyword) !== 0) {
      if (pending !== undefined) this.flush();
      pending = { name, type: this.defaultType, help: undefined, unit: undefined };
      this.pending = pending;
      this.pendingHas = 0;
      this.pendingNameStart = nameStart;
    }
    this.pendingHas |= keyword;
    if (keyword === HAS_HELP) pending.help = value;
    else if (keyword === HAS_TYPE) pending.type = value as MetricType;
    else pending.unit = value;
  }

  protected endMetadataLine(lf: number): number {
    if (lf >= this.end) {
      this.pos = this.end;
    } else {
      this.newLine(lf);
    }
    return LINE_METADATA;
  }
}
