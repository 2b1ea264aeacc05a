// Number syntax of the exposition formats: what Go's strconv.ParseFloat accepts for decimal
// input (Prometheus's parsers reject hex floats and underscores), checked by hand because
// JavaScript's Number() also accepts "", " 1", "0x10" and "0b1".

const CH_0 = 48;
const CH_9 = 57;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_DOT = 46;

/** Exactly representable integers have at most 15 digits; longer ones go through Number(). */
const FAST_DIGITS = 15;

/** The value of `text[start, end)` as a float sample value, or undefined when it is not one. */
export function parseFloatToken(text: string, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === CH_MINUS || c === CH_PLUS) {
    negative = c === CH_MINUS;
    c = text.charCodeAt(++i);
  }
  // The common case, a small integer, without building a string.
  if (end - i <= FAST_DIGITS && end > i) {
    let n = 0;
    let j = i;
    for (; j < end; j++) {
      const d = text.charCodeAt(j) - CH_0;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (j === end) return negative ? -n : n;
  }
  if (c >= CH_0 || c === CH_DOT) {
    if (c > CH_9) return special(text, i, end, negative, i !== start);
    let digits = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
    if (i < end && text.charCodeAt(i) === CH_DOT) {
      i++;
      while (i < end && isDigit(text.charCodeAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits === 0) return undefined;
    if (i < end && (text.charCodeAt(i) | 0x20) === 0x65 /* e */) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === CH_PLUS || sign === CH_MINUS) i++;
      const expStart = i;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      if (i === expStart) return undefined;
    }
    if (i !== end) return undefined;
    const value = Number(text.slice(start, end));
    // Go reports 1e400 as out of range, and so does Prometheus.
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

// Go accepts "inf" and "infinity" in any case with an optional sign, and "nan" without one.
function special(text: string, start: number, end: number, negative: boolean, signed: boolean): number | undefined {
  const word = text.slice(start, end).toLowerCase();
  if (word === 'inf' || word === 'infinity') return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (word === 'nan' && !signed) return Number.NaN;
  return undefined;
}

/** A Prometheus text timestamp (`[0-9]+` milliseconds, no sign, as Prometheus's lexer reads it), or undefined. */
export function parseIntegerToken(text: string, start: number, end: number): number | undefined {
  if (start === end) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - CH_0;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  // Past 2^53 a millisecond timestamp can no longer be stored exactly.
  return Number.isSafeInteger(n) ? n : undefined;
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}
