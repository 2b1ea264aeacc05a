import { compileRe2, literalAlternatives, Re2Error } from '@vigil/re2';
import { badMatcher } from './bad-input.js';

/** The four Prometheus label matcher kinds. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher as PromQL writes it: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export interface Matcher {
  type: MatchType;
  name: string;
  value: string;
}

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
    } else {
      this.literals = literalAlternatives(m.value);
      if (this.literals === undefined) this.regex = compileRegex(m.value);
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

// @vigil/re2 translates, anchors and caches; a pattern it refuses is a bad matcher here.
function compileRegex(pattern: string): RegExp {
  try {
    return compileRe2(pattern);
  } catch (err) {
    if (err instanceof Re2Error) throw badMatcher(err.message, err);
    throw err;
  }
}
