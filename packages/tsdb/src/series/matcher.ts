import { badMatcher } from './bad-input.js';
import { translateRe2 } from './re2.js';

/** The four Prometheus label matcher kinds. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher as PromQL writes it: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export interface Matcher {
  type: MatchType;
  name: string;
  value: string;
}

const LITERAL_ALTERNATION = /^[^\\.+*?()[\]{}^$|]*(?:\|[^\\.+*?()[\]{}^$|]*)*$/;
const CACHE_LIMIT = 1000;
const regexCache = new Map<string, RegExp>();

/**
 * A matcher ready to test label values. Regexes are fully anchored (`^(?:re)$`) and read as RE2;
 * a label a series lacks is tested as the empty string.
 */
export class LabelMatcher implements Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  /** True when a series without the label matches (the value "" matches). */
  readonly matchesEmpty: boolean;
  /** For `=` and for regexes that are a plain alternation of literals (`a|b|c`): the values that match. */
  readonly literals: readonly string[] | undefined;
  private readonly regex: RegExp | undefined;
  private readonly negate: boolean;

  constructor(m: Matcher) {
    if (m.type !== '=' && m.type !== '!=' && m.type !== '=~' && m.type !== '!~') {
      throw badMatcher(`unknown matcher type "${String(m.type)}" for label "${m.name}"`);
    }
    if (typeof m.name !== 'string' || m.name === '' || typeof m.value !== 'string') {
      throw badMatcher(`a matcher needs a non-empty label name and a string value; got ${JSON.stringify(m)}`);
    }
    this.type = m.type;
    this.name = m.name;
    this.value = m.value;
    this.negate = m.type === '!=' || m.type === '!~';
    if (m.type === '=' || m.type === '!=') {
      this.literals = [m.value];
    } else if (LITERAL_ALTERNATION.test(m.value)) {
      this.literals = [...new Set(m.value.split('|'))];
    } else {
      this.regex = compileAnchored(m.value);
    }
    this.matchesEmpty = this.matches('');
  }

  /** Whether a label value (or "" for a missing label) satisfies the matcher. */
  matches(value: string): boolean {
    const hit = this.regex !== undefined ? this.regex.test(value) : this.literals!.includes(value);
    return hit !== this.negate;
  }

  /** `name="value"` as PromQL writes it. */
  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/** Compiles a matcher; throws TsdbError VIGIL_BAD_MATCHER for an unknown type or a regex RE2 would not run. */
export function compileMatcher(m: Matcher): LabelMatcher {
  return m instanceof LabelMatcher ? m : new LabelMatcher(m);
}

function compileAnchored(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached !== undefined) return cached;
  const { source, flags } = translateRe2(pattern);
  // Without the `m` flag `^`/`$` anchor the whole value; with it they would stop at line ends.
  const anchored = flags.includes('m') ? `(?<![\\s\\S])(?:${source})(?![\\s\\S])` : `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(anchored, flags);
  } catch (err) {
    throw badMatcher(`invalid regex "${pattern}": ${(err as Error).message}`, err);
  }
  if (regexCache.size >= CACHE_LIMIT) regexCache.clear();
  regexCache.set(pattern, regex);
  return regex;
}
