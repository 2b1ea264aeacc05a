// Bracketed classes (`[a-z[:digit:]\pL]`) and sets written alone (`\d`, `\pL`), with RE2's (?i) spelled out when
// asked: JavaScript cannot switch case-insensitivity on for part of a pattern.
import { caseOrbit } from './case-fold.js';
import { codePoint, codePointsBody, foldedAdditions, foldRanges, POSIX_CLASSES, rangesBody } from './char-sets.js';
import { invalid, unsupported } from './errors.js';
import { type CharSet, readEscape } from './escapes.js';

/** A literal character, as itself or (folding) as the class of the characters it folds together with. */
export function literalJs(cp: number, fold: boolean): string {
  const orbit = fold ? caseOrbit(cp) : undefined;
  if (orbit === undefined) return codePoint(cp);
  return `[${orbit.map(plainOrCodePoint).join('')}]`;
}

function plainOrCodePoint(cp: number): string {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) ? String.fromCharCode(cp) : codePoint(cp);
}

/** A set written outside brackets. RE2 folds a set's positive form under (?i), then negates it. */
export function setJs(set: CharSet, fold: boolean, p: string, at: number): string {
  if (set.property === 'Any') return set.negated ? '[^\\s\\S]' : '[\\s\\S]';
  if (!fold && set.js !== undefined) return set.js;
  if (set.property !== undefined && set.negated && fold) {
    const added = foldedAdditions(`\\p{${set.property}}`);
    const negatedJs = `\\P{${set.property}}`;
    return added.length === 0 ? negatedJs : `(?![${codePointsBody(added)}])${negatedJs}`;
  }
  return `[${setBody(set, fold, p, at)}]`;
}

// A set as part of a class body (no brackets).
function setBody(set: CharSet, fold: boolean, p: string, at: number): string {
  if (set.ranges !== undefined) {
    if (!fold && set.js !== undefined) return set.js;
    return rangesBody(fold ? foldRanges(set.ranges) : set.ranges, set.negated);
  }
  if (set.property === 'Any') return set.negated ? '' : '\\u{0}-\\u{10ffff}';
  const positive = `\\p{${set.property}}`;
  if (!fold) return set.negated ? `\\P{${set.property}}` : positive;
  const added = codePointsBody(foldedAdditions(positive));
  if (!set.negated) return positive + added;
  if (added === '') return `\\P{${set.property}}`;
  throw unsupported(p, at, 'a negated Unicode class inside brackets under (?i) has no JavaScript equivalent here');
}

/** Reads the class at `p[i] === '['` into a JavaScript class; folding spells out RE2's (?i). */
export function readClass(p: string, i: number, fold: boolean): { js: string; next: number } {
  let j = i + 1;
  const negated = p[j] === '^';
  if (negated) j++;
  let body = '';
  // RE2 reads a `]` right after `[` or `[^` as a literal.
  if (p[j] === ']') {
    body += '\\]';
    j++;
  }
  while (p[j] !== ']') {
    if (j >= p.length) throw invalid(p, i, 'missing closing ]');
    const c = p[j]!;
    if (c === '\\') {
      const e = readEscape(p, j);
      if (e.kind === 'char') body += codePoint(e.cp);
      else if (e.kind === 'quoted') for (const ch of e.text) body += codePoint(ch.codePointAt(0)!);
      else if (e.kind === 'set') body += setBody(e.set, fold, p, j);
      else throw invalid(p, j, `\\${p[j + 1]} inside a character class`);
      j = e.next;
    } else if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      const name = end < 0 ? '' : p.slice(j + 2, end);
      const ranges = POSIX_CLASSES[name.replace(/^\^/, '')];
      if (ranges === undefined) throw invalid(p, j, `unknown POSIX class [:${name}:]`);
      body += setBody({ ranges, negated: name.startsWith('^') }, fold, p, j);
      j = end + 2;
    } else {
      const cp = p.codePointAt(j)!;
      body += c === '[' ? '\\[' : String.fromCodePoint(cp);
      j += cp > 0xffff ? 2 : 1;
    }
  }
  if (fold) body += codePointsBody(foldedAdditions(body));
  return { js: `[${negated ? '^' : ''}${body}]`, next: j + 1 };
}
