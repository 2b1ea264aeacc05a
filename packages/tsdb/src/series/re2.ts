import { badMatcher } from './bad-input.js';

/** A JavaScript regex source and flags equivalent to an RE2 pattern. */
export interface TranslatedRegex {
  source: string;
  flags: string;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const GENERAL_CATEGORY = /^(?:[CLMNPSZ][a-z]?|L&)$/;
const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;

/**
 * Translates an RE2 pattern (the syntax Prometheus matchers use) into a JavaScript regex with the `u` and
 * `s` flags (Prometheus 3 lets `.` match a newline).
 * RE2 features JavaScript lacks are rewritten (`\Q..\E`, `\z`, `\A`, `\x{..}`, `\pL`, `[[:alpha:]]`,
 * `(?P<name>..)`, a leading `(?i)`/`(?s)`/`(?m)`); JavaScript features RE2 lacks (backreferences,
 * lookarounds) and RE2 features with no rewrite here (`(?U)`, inline flags after the start, `\C`) throw
 * TsdbError VIGIL_BAD_MATCHER, so no pattern silently matches differently than in Prometheus.
 */
export function translateRe2(pattern: string): TranslatedRegex {
  // Prometheus 3 compiles matchers as `^(?s:re)$`: `.` matches a newline too.
  let flags = 'su';
  let i = 0;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else {
        throw unsupported(pattern, 0, `flag (?${f}) has no JavaScript equivalent`);
      }
    }
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, inClass);
      out += text;
      i = next;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        out += c;
      } else if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end < 0 ? undefined : pattern.slice(i + 2, end);
        const range = name === undefined ? undefined : POSIX_CLASSES[name];
        if (range === undefined) throw unsupported(pattern, i, 'unknown POSIX class');
        out += range;
        i = end + 2;
        continue;
      } else if (c === '[') {
        out += '\\[';
      } else {
        out += c;
      }
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      // RE2 reads a `]` right after `[` or `[^` as a literal.
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const [text, next] = groupOpening(pattern, i);
      out += text;
      i = next;
      continue;
    }
    if (c === '{') {
      // RE2 reads a `{` that does not start a repetition as a literal; JavaScript's `u` mode refuses it.
      const q = QUANTIFIER.exec(pattern.slice(i));
      if (q) {
        out += q[0];
        i += q[0].length;
      } else {
        out += '\\{';
        i++;
      }
      continue;
    }
    out += c === '}' ? '\\}' : c;
    i++;
  }
  if (inClass) throw unsupported(pattern, pattern.length, 'missing closing ]');
  return { source: out, flags };
}

function groupOpening(pattern: string, i: number): [string, number] {
  const rest = pattern.slice(i + 2);
  if (rest.startsWith(':')) return ['(?:', i + 3];
  if (rest.startsWith('P<')) return ['(?<', i + 4];
  if (/^<[a-zA-Z_]/.test(rest)) return ['(?<', i + 3];
  if (/^(?:=|!|<=|<!)/.test(rest)) {
    throw unsupported(pattern, i, 'lookaround assertions are not RE2 syntax (Prometheus uses RE2)');
  }
  throw unsupported(pattern, i, 'inline flags are supported only at the very start, as (?i), (?s) or (?m)');
}

// Returns the JavaScript text for the escape at pattern[i] === '\\' and the index after it.
function translateEscape(pattern: string, i: number, inClass: boolean): [string, number] {
  const d = pattern[i + 1];
  if (d === undefined) throw unsupported(pattern, i, 'trailing backslash');
  if (d >= '0' && d <= '9') {
    // RE2 reads \0, \012, \12 as octal; a lone \1..\9 would be a backreference, which RE2 has not.
    let end = i + 2;
    while (end < i + 4 && pattern[end] !== undefined && pattern[end]! >= '0' && pattern[end]! <= '7') end++;
    if (d > '7' || (d !== '0' && end === i + 2)) {
      throw unsupported(pattern, i, `backreference \\${d} is not RE2 syntax (Prometheus uses RE2)`);
    }
    return [codePoint(Number.parseInt(pattern.slice(i + 1, end), 8)), end];
  }
  switch (d) {
    case 'Q': {
      const end = pattern.indexOf('\\E', i + 2);
      const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
      let text = '';
      for (const ch of literal) text += codePoint(ch.codePointAt(0)!);
      return [text, end < 0 ? pattern.length : end + 2];
    }
    case 'z':
      return ['(?![\\s\\S])', i + 2];
    case 'A':
      return ['(?<![\\s\\S])', i + 2];
    case 'a':
      return ['\\x07', i + 2];
    case 'x': {
      if (pattern[i + 2] !== '{') return ['\\x', i + 2];
      const end = pattern.indexOf('}', i + 3);
      if (end < 0) throw unsupported(pattern, i, 'missing } in \\x{...}');
      return [`\\u{${pattern.slice(i + 3, end)}}`, end + 1];
    }
    case 'p':
    case 'P': {
      let name: string;
      let end: number;
      if (pattern[i + 2] === '{') {
        end = pattern.indexOf('}', i + 3);
        if (end < 0) throw unsupported(pattern, i, `missing } in \\${d}{...}`);
        name = pattern.slice(i + 3, end);
        end++;
      } else {
        name = pattern[i + 2] ?? '';
        end = i + 3;
      }
      let negate = d === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      if (name === 'Any') return [negate ? '[^\\s\\S]' : '[\\s\\S]', end];
      const property = GENERAL_CATEGORY.test(name) ? (name === 'L&' ? 'LC' : name) : `Script=${name}`;
      return [`\\${negate ? 'P' : 'p'}{${property}}`, end];
    }
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'w':
    case 'W':
    case 'f':
    case 't':
    case 'n':
    case 'r':
    case 'v':
      return [`\\${d}`, i + 2];
    case 'b':
    case 'B':
      if (inClass) throw unsupported(pattern, i, `\\${d} inside a character class`);
      return [`\\${d}`, i + 2];
  }
  if (/[\p{L}\p{N}]/u.test(d)) throw unsupported(pattern, i, `escape \\${d} is not RE2 syntax`);
  // RE2 lets any punctuation be escaped; JavaScript's `u` mode only some, so spell it as a code point.
  return [codePoint(pattern.codePointAt(i + 1)!), i + 1 + (pattern.codePointAt(i + 1)! > 0xffff ? 2 : 1)];
}

function codePoint(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function unsupported(pattern: string, at: number, why: string) {
  return badMatcher(`regex "${pattern}" at offset ${at}: ${why}`);
}
