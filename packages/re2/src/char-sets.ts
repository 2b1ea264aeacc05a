// Character sets: RE2's ASCII-only POSIX and Perl classes as ranges, written as JavaScript class bodies, and the
// case-folding closure RE2 applies to a set under (?i).
import { casedCodePoints, caseOrbit } from './case-fold.js';

/** Code point ranges, inclusive. */
export type Ranges = readonly (readonly [number, number])[];

const DIGIT: Ranges = [[0x30, 0x39]];
const UPPER: Ranges = [[0x41, 0x5a]];
const LOWER: Ranges = [[0x61, 0x7a]];
const ALPHA: Ranges = [...UPPER, ...LOWER];
const ALNUM: Ranges = [...DIGIT, ...ALPHA];

/** The POSIX classes RE2 knows (`[[:alpha:]]`), ASCII only as in RE2. */
export const POSIX_CLASSES: Readonly<Record<string, Ranges>> = {
  alnum: ALNUM,
  alpha: ALPHA,
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: LOWER,
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: UPPER,
  word: [...ALNUM, [0x5f, 0x5f]],
  xdigit: [...DIGIT, [0x41, 0x46], [0x61, 0x66]],
};

/** RE2's `\s`: `[\t\n\f\r ]` (no `\v`, no Unicode spaces, unlike JavaScript's `\s`). */
export const PERL_SPACE: Ranges = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];

/** `\u{..}`: a code point written so that it means itself anywhere in a `u`-mode regex. */
export function codePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A class body (without brackets) for `ranges`, merged, or for everything else when `negate`. */
export function rangesBody(ranges: Ranges, negate = false): string {
  let list: (readonly [number, number])[] = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = list[list.length - 1];
    if (last !== undefined && lo <= last[1] + 1) list[list.length - 1] = [last[0], Math.max(last[1], hi)];
    else list.push([lo, hi]);
  }
  if (negate) {
    const rest: [number, number][] = [];
    let next = 0;
    for (const [lo, hi] of list) {
      if (lo > next) rest.push([next, lo - 1]);
      next = Math.max(next, hi + 1);
    }
    if (next <= 0x10ffff) rest.push([next, 0x10ffff]);
    list = rest;
  }
  return list.map(([lo, hi]) => (lo === hi ? codePoint(lo) : `${codePoint(lo)}-${codePoint(hi)}`)).join('');
}

/**
 * The code points to add to a class body so that it matches as RE2 matches it under (?i): every character that
 * folds together with one the body matches. Empty when the body does not compile (the caller's compile reports it).
 */
export function foldedAdditions(body: string): number[] {
  let member: RegExp;
  try {
    member = new RegExp(`[${body}]`, 'u');
  } catch {
    return [];
  }
  const added = new Set<number>();
  for (const cp of casedCodePoints()) {
    if (!member.test(String.fromCodePoint(cp))) continue;
    for (const other of caseOrbit(cp)!) if (!member.test(String.fromCodePoint(other))) added.add(other);
  }
  return [...added].sort((a, b) => a - b);
}

/** `ranges` with every character that folds together with one of them (RE2's (?i) on a set). */
export function foldRanges(ranges: Ranges): Ranges {
  return [...ranges, ...foldedAdditions(rangesBody(ranges)).map((cp) => [cp, cp] as const)];
}

/** A class body (without brackets) for single code points. */
export function codePointsBody(cps: readonly number[]): string {
  return rangesBody(cps.map((cp) => [cp, cp] as const));
}
