// Compiling RE2 patterns as Prometheus runs matchers and relabel regexes: fully anchored, compiled once.
import { Re2Error } from './errors.js';
import { translateRe2 } from './translate.js';

const CACHE_LIMIT = 1000;
const cache = new Map<string, RegExp>();
const LITERAL_ALTERNATION = /^[^\\.+*?()[\]{}^$|]*(?:\|[^\\.+*?()[\]{}^$|]*)*$/;

/**
 * A JavaScript RegExp matching exactly the strings RE2 matches with `^(?:pattern)$` (`.` matches a newline, as in
 * Prometheus). Compiled once per pattern and shared: it has no `g` or `y` flag, so it holds no state. Throws Re2Error:
 * VIGIL_RE2_INVALID for a pattern RE2 refuses, VIGIL_RE2_UNSUPPORTED for one JavaScript cannot run the same way.
 */
export function compileRe2(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const { source, flags } = translateRe2(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${source})$`, flags);
  } catch (err) {
    const engine = err as Error;
    // V8 says "Invalid regular expression: /<translated source>/<flags>: <what>"; the reason keeps only <what>.
    const reason = engine.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    throw new Re2Error('VIGIL_RE2_INVALID', pattern, undefined, reason, engine);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, regex);
  return regex;
}

/**
 * The strings a pattern matches when it is a plain alternation of literals (`GET|PUT`), deduplicated; undefined
 * otherwise. Lets a matcher compare strings instead of running a regex.
 */
export function literalAlternatives(pattern: string): string[] | undefined {
  return LITERAL_ALTERNATION.test(pattern) ? [...new Set(pattern.split('|'))] : undefined;
}
