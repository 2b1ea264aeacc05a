import { LabelMatcher } from '@vigil/tsdb';

const cache = new Map<string, RegExp>();

/**
 * A fully anchored JavaScript regex for an RE2 pattern, read as Prometheus reads relabel regexes (`.` matches a
 * newline too). Throws an Error naming what RE2 would refuse (backreferences, lookarounds) or what does not parse.
 *
 * The RE2 → JavaScript translation is @vigil/tsdb's, reached through LabelMatcher because the package does not
 * export the translator itself; once it does (`translateRe2`), this reads it directly.
 */
export function compileRe2(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const matcher = new LabelMatcher({ type: '=~', name: 'relabel', value: pattern });
  const compiled = (matcher as unknown as { regex?: unknown }).regex;
  let regex: RegExp;
  if (compiled instanceof RegExp) regex = compiled;
  else if (matcher.literals !== undefined) {
    // A plain alternation of literals (`a|b`) has no regex inside the matcher: nothing in it needs translating.
    regex = new RegExp(`^(?:${pattern})$`, 'su');
  } else {
    throw new Error('@vigil/tsdb no longer exposes its RE2 translation where relabeling reads it');
  }
  if (cache.size >= 1000) cache.clear();
  cache.set(pattern, regex);
  return regex;
}
