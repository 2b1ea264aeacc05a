// The RE2 → JavaScript translation: one pass over the pattern, rewriting what JavaScript spells differently and
// refusing what it would run differently.
import { literalJs, readClass, setJs } from './classes.js';
import { invalid, unsupported } from './errors.js';
import { readEscape } from './escapes.js';

/** A JavaScript regex source and flags that match what an RE2 pattern matches. */
export interface TranslatedRegex {
  source: string;
  flags: string;
}

/** RE2's flags in effect at a point of the pattern. */
interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

// The repetition counts RE2 accepts are at most 1000.
const MAX_REPEAT = 1000;
const REPEAT = /\{(\d+)(?:,(\d*))?\}/y;
const LEADING_CASELESS = /^\(\?[ims]*i[ims]*\)/;
const FLAG_GROUP_WITH_I = /\(\?[a-zA-Z-]*i[a-zA-Z-]*[:)]/;
// Under the `i` flag JavaScript folds a negated set after negating it (RE2 before), and counts the Kelvin sign and
// long s as word characters for \b: patterns with these are spelled out instead.
const NEGATED_SET_OR_BOUNDARY = /\\[PWbB]|\\p\{\^|\[:\^/;

/**
 * Translates an RE2 pattern into a JavaScript source with the `u` and `s` flags (and `i` when the whole pattern is
 * case-insensitive); `.` matches a newline unless the pattern says `(?-s)`. Throws Re2Error for what RE2 refuses
 * (VIGIL_RE2_INVALID) and for what JavaScript cannot run the same way (VIGIL_RE2_UNSUPPORTED). The source is not
 * anchored and not yet compiled: compileRe2 does both.
 */
export function translateRe2(pattern: string): TranslatedRegex {
  // A pattern that is case-insensitive throughout gets the `i` flag; any other (?i) is spelled out as `[xX]`.
  const lead = LEADING_CASELESS.exec(pattern);
  const wholeCaseless =
    lead !== null && !FLAG_GROUP_WITH_I.test(pattern.slice(lead[0].length)) && !NEGATED_SET_OR_BOUNDARY.test(pattern);
  let flags: Flags = { i: false, s: true, m: false };
  const stack: Flags[] = [];
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const fold = flags.i && !wholeCaseless;
    switch (c) {
      case '\\': {
        const e = readEscape(pattern, i);
        if (e.kind === 'char') out += literalJs(e.cp, fold);
        else if (e.kind === 'quoted') for (const ch of e.text) out += literalJs(ch.codePointAt(0)!, fold);
        else if (e.kind === 'set') out += setJs(e.set, fold, pattern, i);
        else out += e.js;
        i = e.next;
        continue;
      }
      case '[': {
        const cls = readClass(pattern, i, fold);
        out += cls.js;
        i = cls.next;
        continue;
      }
      case '(': {
        if (pattern[i + 1] !== '?') {
          stack.push(flags);
          out += '(';
          i++;
          continue;
        }
        const group = readGroup(pattern, i, flags);
        if (group.opens) stack.push(flags);
        flags = group.flags;
        out += group.js;
        i = group.next;
        continue;
      }
      case ')': {
        const outer = stack.pop();
        if (outer === undefined) throw invalid(pattern, i, 'unexpected ) with no group open');
        flags = outer;
        out += ')';
        i++;
        continue;
      }
      case '{': {
        REPEAT.lastIndex = i;
        const repeat = REPEAT.exec(pattern);
        if (repeat === null) {
          // RE2 reads a `{` that does not start a repetition as a literal; JavaScript's `u` mode refuses it.
          out += '\\{';
          i++;
          continue;
        }
        if (Number(repeat[1]) > MAX_REPEAT || Number(repeat[2] ?? 0) > MAX_REPEAT) {
          throw invalid(pattern, i, `invalid repeat count ${repeat[0]} (RE2 allows at most ${MAX_REPEAT})`);
        }
        out += repeat[0];
        i += repeat[0].length;
        continue;
      }
      case '}':
      case ']':
        out += `\\${c}`;
        break;
      case '.':
        out += flags.s ? '.' : '[^\\n]';
        break;
      // JavaScript's own `m` flag would also break lines at \r, U+2028 and U+2029; RE2's only at \n.
      case '^':
        out += flags.m ? '(?<![^\\n])' : '^';
        break;
      case '$':
        out += flags.m ? '(?![^\\n])' : '$';
        break;
      case '*':
      case '+':
      case '?':
      case '|':
        out += c;
        break;
      default: {
        const cp = pattern.codePointAt(i)!;
        out += fold ? literalJs(cp, true) : String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
    }
    i++;
  }
  return { source: out, flags: wholeCaseless ? 'isu' : 'su' };
}

/** What a `(?` opening means: the JavaScript text, the flags after it, and whether it opens a group. */
interface GroupOpening {
  js: string;
  flags: Flags;
  opens: boolean;
  next: number;
}

const NAMED = /\(\?P?<([A-Za-z0-9_]+)>/y;
const FLAG_GROUP = /\(\?([a-zA-Z]*)(?:(-)([a-zA-Z]*))?([:)])/y;

function readGroup(p: string, i: number, flags: Flags): GroupOpening {
  const rest = p.slice(i + 2, i + 4);
  if (/^(?:=|!|<=|<!)/.test(rest)) {
    throw invalid(p, i, 'lookaround assertions are not RE2 syntax (Prometheus uses RE2)');
  }
  NAMED.lastIndex = i;
  const named = NAMED.exec(p);
  if (named !== null) return { js: `(?<${named[1]}>`, flags, opens: true, next: i + named[0].length };
  if (rest.startsWith('<') || rest.startsWith('P')) {
    throw invalid(p, i, 'invalid named group: RE2 writes (?P<name>re) or (?<name>re), with no (?P=name)');
  }
  FLAG_GROUP.lastIndex = i;
  const group = FLAG_GROUP.exec(p);
  if (group === null) throw invalid(p, i, `invalid or unsupported Perl syntax: (?${p[i + 2] ?? ''}`);
  const [text, on = '', dash, off = '', end] = group;
  const bad = /[^imsU]/.exec(on + off);
  if (bad !== null) throw invalid(p, i, `unknown flag ${bad[0]} in ${text} (RE2 knows i, m, s and U)`);
  if ((dash !== undefined && off === '') || (on === '' && dash === undefined && end === ')')) {
    throw invalid(p, i, `missing flags in ${text}`);
  }
  if (on.includes('U')) throw unsupported(p, i, 'flag (?U) (ungreedy) has no JavaScript equivalent');
  const next: Flags = { ...flags };
  for (const f of on) if (f !== 'U') next[f as keyof Flags] = true;
  for (const f of off) if (f !== 'U') next[f as keyof Flags] = false;
  const opens = end === ':';
  return { js: opens ? '(?:' : '', flags: next, opens, next: i + text.length };
}
