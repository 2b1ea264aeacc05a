import { TsdbError, type TsdbErrorCode } from '../errors.js';
import { PLAIN_TABLE } from './chars.js';
import { unescapeText } from './escapes.js';

// Local copies, not imports: an imported binding is live, so V8 reloads and checks it on every
// use, which in these per-character loops cost a quarter of the throughput (measured).
// The class bits match chars.ts.
const BACKSLASH = 92;
const CR = 13;
const LF = 10;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const PLAIN = PLAIN_TABLE;

/** What reading one line produced. */
export const LINE_SKIPPED = 0;
/** A sample line was read. */
export const LINE_SAMPLE = 1;
/** A HELP/TYPE/UNIT line was read. */
export const LINE_METADATA = 2;
/** The input ended. */
export const LINE_END = 3;

/**
 * The position in an exposition and what every part of the parser needs around it: line
 * tracking, quoted strings, tokens, line ends, and errors that say line:column and what was
 * expected there.
 */
export abstract class TextCursor {
  protected readonly text: string;
  protected readonly end: number;
  protected readonly om: boolean;
  protected pos = 0;
  protected lineNo = 1;
  protected lineStart = 0;
  protected done = false;
  // Set by quoted(): whether the string had an escape, and its unescaped length in UTF-8 bytes.
  protected quotedEscaped = false;
  protected quotedBytes = 0;

  constructor(text: string, om: boolean) {
    this.text = text;
    this.end = text.length;
    this.om = om;
  }

  // Reads a quoted string at `open`; returns the position after the closing quote.
  protected quoted(open: number): number {
    const text = this.text;
    const end = this.end;
    let pos = open + 1;
    let extra = 0;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c < 128) {
        if (PLAIN[c] === 1) {
          pos++;
          continue;
        }
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          const next = text.charCodeAt(pos + 1);
          if (next === LF || pos + 1 >= end) {
            this.fail('VIGIL_PARSE', 'expected a character after "\\" in a quoted string', pos + 1);
          }
          if (next === BACKSLASH || next === QUOTE || next === 110) extra--;
          escaped = true;
          pos += 2;
          continue;
        }
        // Only a line feed is left.
        this.fail('VIGIL_PARSE', `expected a closing quote ("), got ${this.found(pos)}`, pos);
      }
      // Past the end, charCodeAt gives NaN, which lands here.
      if (pos >= end) this.fail('VIGIL_PARSE', `expected a closing quote ("), got ${this.found(pos)}`, pos);
      extra += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdfff ? 1 : 2;
      pos++;
    }
    this.quotedEscaped = escaped;
    this.quotedBytes = pos - open - 1 + extra;
    return pos + 1;
  }

  protected skipLine(from: number): number {
    const lf = this.text.indexOf('\n', from);
    if (lf < 0) this.pos = this.end;
    else this.newLine(lf);
    return LINE_SKIPPED;
  }

  protected atLineEnd(pos: number): boolean {
    const c = this.text.charCodeAt(pos);
    if (c === LF) {
      this.newLine(pos);
      return true;
    }
    if (pos >= this.end) {
      if (this.om) this.fail('VIGIL_PARSE', 'expected "# EOF" as the last line, got end of input', pos);
      this.pos = pos;
      return true;
    }
    return false;
  }

  // The end of a value or timestamp token.
  protected tokenEnd(from: number): number {
    const text = this.text;
    let pos = from;
    let c = text.charCodeAt(pos);
    if (this.om) {
      while (c !== SPACE && c !== LF && pos < this.end) c = text.charCodeAt(++pos);
    } else {
      while (c !== SPACE && c !== TAB && c !== LF && pos < this.end) c = text.charCodeAt(++pos);
    }
    return pos;
  }

  protected newLine(lf: number): void {
    this.pos = lf + 1;
    this.lineNo++;
    this.lineStart = lf + 1;
  }

  protected nameAt(start: number, end: number): string {
    const text = this.text;
    return text.charCodeAt(start) === QUOTE ? unescapeText(text, start + 1, end - 1, true) : text.slice(start, end);
  }

  protected quote(start: number, end: number): string {
    return JSON.stringify(this.nameAt(start, end));
  }

  // What is at `pos`, for "expected X, got Y".
  protected found(pos: number): string {
    if (pos >= this.end) return 'end of input';
    const c = this.text.charCodeAt(pos);
    if (c === LF) return 'end of line';
    if (c === CR) return 'a carriage return (CRLF line ends are not allowed)';
    if (c === SPACE) return 'a space';
    if (c === TAB) return 'a tab';
    return JSON.stringify(String.fromCodePoint(this.text.codePointAt(pos)!));
  }

  protected failToken(expected: string, start: number, end: number): never {
    const token = this.text.slice(start, end);
    const hint = token.includes('\r') ? ' (CRLF line ends are not allowed)' : '';
    const got = start === end ? this.found(start) : `${JSON.stringify(token)}${hint}`;
    this.fail('VIGIL_PARSE', `expected ${expected}, got ${got}`, start);
  }

  protected fail(code: TsdbErrorCode, message: string, pos: number): never {
    throw new TsdbError(code, message, { position: { line: this.lineNo, column: pos - this.lineStart + 1 } });
  }
}
