// RE2 regexes as PromQL means them (fully anchored, `.` matches newline), run by JS RegExp. A regex JS would run
// differently from RE2 (backreferences, lookaround) is refused rather than silently given other semantics.

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
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

function otherCase(c: string): string {
  const l = c.toLowerCase();
  return l === c ? c.toUpperCase() : l;
}

/**
 * Translates RE2 syntax to a JS RegExp source and flags; throws a message when RE2 semantics cannot be kept.
 * Case-insensitive groups, `(?i:x)` or a `(?i)` after the start, are spelled out (`[xX]`): Node 20 has no inline
 * modifiers.
 */
export function translateRe2(re: string): { source: string; flags: string } {
  let flags = 's';
  let src = re;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm') flags += f;
      else if (f === 'U') throw new Error('the U (ungreedy) flag is not supported');
    }
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  let ci = false;
  const stack: boolean[] = [];
  const letter = (c: string) => /[A-Za-z]/.test(c);
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new Error('trailing backslash at end of expression');
      if (n >= '1' && n <= '9' && !inClass)
        throw new Error(`invalid escape sequence: \\${n} (RE2 has no backreferences)`);
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (n === 'z') {
        out += '$(?![\\s\\S])';
        i++;
        continue;
      }
      if (n === 'A') {
        out += '^';
        i++;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        const name = end < 0 ? '' : src.slice(i + 2, end);
        const cls = POSIX_CLASSES[name];
        if (cls === undefined) throw new Error(`invalid character class range: [:${name}:]`);
        out += cls;
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      else if (ci && letter(c)) {
        if (src[i + 1] === '-' && src[i + 2] !== undefined && letter(src[i + 2]!)) {
          const to = src[i + 2]!;
          out += `${c}-${to}${otherCase(c)}-${otherCase(to)}`;
          i += 2;
          continue;
        }
        out += c + otherCase(c);
        continue;
      }
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? false;
      out += c;
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (/^[=!]|^<[=!]/.test(rest))
        throw new Error('invalid or unsupported Perl syntax: lookaround (?= (?! (?<= (?<!');
      const named = /^P?<(\w+)>/.exec(rest);
      if (named) {
        stack.push(ci);
        out += `(?<${named[1]}>`;
        i += 1 + named[0].length;
        continue;
      }
      const flagGroup = /^([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
      if (flagGroup) {
        const on = flagGroup[1] ?? '';
        const off = flagGroup[2] ?? '';
        if (on.includes('U') || on.includes('m') || off.includes('m'))
          throw new Error(`flags (?${on}) are not supported here`);
        const nextCi: boolean = on.includes('i') ? true : off.includes('i') ? false : ci;
        if (flagGroup[3] === ':') {
          stack.push(ci);
          out += '(?:';
        }
        ci = nextCi;
        i += 1 + flagGroup[0].length;
        continue;
      }
      throw new Error(`invalid or unsupported Perl syntax: (?${rest.slice(0, 1)}`);
    }
    if (c === '(') stack.push(ci);
    if (ci && letter(c)) {
      out += `[${c}${otherCase(c)}]`;
      continue;
    }
    out += c;
  }
  if (inClass) throw new Error('missing closing ]');
  return { source: out, flags };
}

const cache = new Map<string, RegExp>();

/** A fully anchored RegExp for an RE2 pattern; throws a message saying why when it is invalid or not RE2. */
export function compileAnchored(re: string): RegExp {
  let r = cache.get(re);
  if (r !== undefined) return r;
  const { source, flags } = translateRe2(re);
  try {
    r = new RegExp(`^(?:${source})$`, flags);
  } catch (e) {
    // V8 says "Invalid regular expression: /<translated source>/s: <what>"; the translation is no news to the user.
    throw new Error((e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, ''));
  }
  if (cache.size > 1000) cache.clear();
  cache.set(re, r);
  return r;
}
