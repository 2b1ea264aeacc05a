// Character codes and classes the exposition scanner tests, one table lookup per character.
// The scanner's modules keep local copies of the codes and bits (see text-cursor.ts for why).

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const COMMA = 44;
export const EQUAL = 61;
export const BACKSLASH = 92;
export const OPEN = 123;
export const CLOSE = 125;

/** Can start a metric name: `[a-zA-Z_:]`. */
export const METRIC_START = 1;
/** Can continue a metric name: `[a-zA-Z0-9_:]`. */
export const METRIC_CHAR = 2;
/** Can start a label name: `[a-zA-Z_]`. */
export const LABEL_START = 4;
/** Can continue a label name: `[a-zA-Z0-9_]`. */
export const LABEL_CHAR = 8;
/** The classes of each ASCII character, as bits. */
export const CHARS_TABLE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  if (letter || c === 58) CHARS_TABLE[c]! |= METRIC_START | METRIC_CHAR;
  if (digit) CHARS_TABLE[c]! |= METRIC_CHAR | LABEL_CHAR;
  if (letter) CHARS_TABLE[c]! |= LABEL_START | LABEL_CHAR;
}

/** Characters a quoted string holds as they are: all of ASCII but the quote, the backslash and LF. */
export const PLAIN_TABLE = new Uint8Array(128).fill(1);
PLAIN_TABLE[QUOTE] = 0;
PLAIN_TABLE[BACKSLASH] = 0;
PLAIN_TABLE[LF] = 0;
