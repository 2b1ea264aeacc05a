// RE2's backslash escapes, read into what they mean: a character, a set, an assertion or quoted text.
import { PERL_SPACE, POSIX_CLASSES, type Ranges } from './char-sets.js';
import { invalid, unsupported } from './errors.js';

/** A set of characters: ASCII ranges (Perl and POSIX classes) or a Unicode property. */
export interface CharSet {
  ranges?: Ranges;
  /** A JavaScript property expression (`L`, `Script=Greek`) or `Any`. */
  property?: string;
  negated: boolean;
  /** The same set as JavaScript writes it outside (?i), when shorter than the ranges (`\d`, `\w`). */
  js?: string;
}

/** What an escape means. */
export type Escape =
  | { kind: 'char'; cp: number; next: number }
  | { kind: 'quoted'; text: string; next: number }
  | { kind: 'set'; set: CharSet; next: number }
  | { kind: 'assertion'; js: string; next: number };

const GENERAL_CATEGORY = /^(?:[CLMNPSZ][a-z]?|L&)$/;
const CONTROL: Record<string, number> = { a: 0x07, f: 0x0c, t: 0x09, n: 0x0a, r: 0x0d, v: 0x0b };
const PERL: Record<string, CharSet> = {
  d: { ranges: POSIX_CLASSES.digit, negated: false, js: '\\d' },
  D: { ranges: POSIX_CLASSES.digit, negated: true, js: '\\D' },
  w: { ranges: POSIX_CLASSES.word, negated: false, js: '\\w' },
  W: { ranges: POSIX_CLASSES.word, negated: true, js: '\\W' },
  s: { ranges: PERL_SPACE, negated: false },
  S: { ranges: PERL_SPACE, negated: true },
};
const ASSERTIONS: Record<string, string> = { b: '\\b', B: '\\B', A: '^', z: '$' };

/** Reads the escape at `p[i] === '\\'`; throws Re2Error for an escape RE2 refuses or JavaScript cannot keep. */
export function readEscape(p: string, i: number): Escape {
  const d = p[i + 1];
  if (d === undefined) throw invalid(p, i, 'trailing backslash');
  if (d >= '0' && d <= '9') return octal(p, i);
  const control = CONTROL[d];
  if (control !== undefined) return { kind: 'char', cp: control, next: i + 2 };
  const perl = PERL[d];
  if (perl !== undefined) return { kind: 'set', set: perl, next: i + 2 };
  const assertion = ASSERTIONS[d];
  if (assertion !== undefined) return { kind: 'assertion', js: assertion, next: i + 2 };
  switch (d) {
    case 'Q': {
      const end = p.indexOf('\\E', i + 2);
      return { kind: 'quoted', text: p.slice(i + 2, end < 0 ? p.length : end), next: end < 0 ? p.length : end + 2 };
    }
    case 'x':
      return hex(p, i);
    case 'p':
    case 'P':
      return property(p, i, d === 'P');
    case 'C':
      throw unsupported(p, i, 'escape \\C (any byte) has no JavaScript equivalent');
  }
  // RE2 lets any ASCII punctuation be escaped; JavaScript's `u` mode only some, so it is written as a code point.
  if (/[0-9A-Za-z]/.test(d) || d > '\x7f') throw invalid(p, i, `escape \\${d} is not RE2 syntax`);
  return { kind: 'char', cp: d.charCodeAt(0), next: i + 2 };
}

// RE2 reads \0, \012, \12 as octal (up to three digits); a lone \1..\9 would be a backreference, which RE2 has not.
function octal(p: string, i: number): Escape {
  const d = p[i + 1]!;
  let end = i + 2;
  while (end < i + 4 && p[end] !== undefined && p[end]! >= '0' && p[end]! <= '7') end++;
  if (d > '7' || (d !== '0' && end === i + 2)) {
    throw invalid(p, i, `backreference \\${d} is not RE2 syntax (Prometheus uses RE2)`);
  }
  return { kind: 'char', cp: Number.parseInt(p.slice(i + 1, end), 8), next: end };
}

// \x41 (two hex digits) or \x{10FFFF}.
function hex(p: string, i: number): Escape {
  if (p[i + 2] === '{') {
    const end = p.indexOf('}', i + 3);
    const digits = end < 0 ? '' : p.slice(i + 3, end);
    const cp = Number.parseInt(digits, 16);
    if (!/^[0-9A-Fa-f]{1,8}$/.test(digits) || cp > 0x10ffff) throw invalid(p, i, 'invalid escape \\x{...}');
    return { kind: 'char', cp, next: end + 1 };
  }
  const digits = p.slice(i + 2, i + 4);
  if (!/^[0-9A-Fa-f]{2}$/.test(digits)) throw invalid(p, i, 'invalid escape \\x: two hex digits or \\x{...} needed');
  return { kind: 'char', cp: Number.parseInt(digits, 16), next: i + 4 };
}

// \pL, \p{Greek}, \p{^Greek}, \PL: a general category or a script, as RE2 names them.
function property(p: string, i: number, negated: boolean): Escape {
  let name: string;
  let next: number;
  if (p[i + 2] === '{') {
    const end = p.indexOf('}', i + 3);
    if (end < 0) throw invalid(p, i, `missing } in \\${p[i + 1]}{...}`);
    name = p.slice(i + 3, end);
    next = end + 1;
  } else {
    name = p[i + 2] ?? '';
    next = i + 3;
  }
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  if (name === '') throw invalid(p, i, 'missing Unicode class name');
  const js = name === 'Any' ? 'Any' : GENERAL_CATEGORY.test(name) ? (name === 'L&' ? 'LC' : name) : `Script=${name}`;
  if (js !== 'Any' && !knownProperty(js)) throw invalid(p, i, `unknown Unicode class \\p{${name}}`);
  return { kind: 'set', set: { property: js, negated }, next };
}

function knownProperty(js: string): boolean {
  try {
    new RegExp(`\\p{${js}}`, 'u');
    return true;
  } catch {
    return false;
  }
}
