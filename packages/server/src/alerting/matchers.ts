// Label matchers as Alertmanager writes them (`severity="critical"`, `job=~"api|web"`, `env!=dev`), used by routes,
// silences and the silence CLI.

import { compileRe2 } from '../discovery/re2-regex.js';

/** One matcher; regexes are fully anchored RE2. */
export interface AlertMatcher {
  name: string;
  type: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Alertmanager API v2's matcher shape. */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses `name="value"` (or an unquoted value); throws an Error saying what is wrong. */
export function parseMatcher(text: string): AlertMatcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new Error(
      `bad matcher ${JSON.stringify(text)}: expected name="value", name!="value", name=~"regex" or name!~"regex"`,
    );
  let value = m[3]!;
  if (value.startsWith('"')) {
    try {
      value = JSON.parse(value) as string;
    } catch {
      throw new Error(`bad matcher ${JSON.stringify(text)}: the quoted value is not closed or has a bad escape`);
    }
  }
  const matcher = { name: m[1]!, type: m[2] as AlertMatcher['type'], value };
  compileMatcher(matcher);
  return matcher;
}

/** Parses `{a="1", b=~"x"}` or `a="1",b=~"x"` (commas inside quotes are kept). */
export function parseMatcherList(text: string): AlertMatcher[] {
  const inner = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && quoted) {
      current += c + (inner[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts.map(parseMatcher);
}

/** A predicate over a label set; throws on a bad label name or a regex RE2 would refuse. */
export function compileMatcher(m: AlertMatcher): (labels: Readonly<Record<string, string>>) => boolean {
  if (!LABEL_NAME.test(m.name)) throw new Error(`invalid label name ${JSON.stringify(m.name)} in a matcher`);
  if (m.type === '=' || m.type === '!=') {
    const equal = m.type === '=';
    return (labels) => ((labels[m.name] ?? '') === m.value) === equal;
  }
  let regex: RegExp;
  try {
    regex = compileRe2(m.value);
  } catch (error) {
    throw new Error(`invalid regex ${JSON.stringify(m.value)} in a matcher for ${m.name}: ${(error as Error).message}`);
  }
  const equal = m.type === '=~';
  return (labels) => regex.test(labels[m.name] ?? '') === equal;
}

/** A predicate that holds when every matcher matches. */
export function compileMatchers(
  matchers: readonly AlertMatcher[],
): (labels: Readonly<Record<string, string>>) => boolean {
  const tests = matchers.map(compileMatcher);
  return (labels) => tests.every((t) => t(labels));
}

/** A matcher as Alertmanager's API writes it. */
export function toApiMatcher(m: AlertMatcher): ApiMatcher {
  return { name: m.name, value: m.value, isRegex: m.type.endsWith('~'), isEqual: m.type[0] === '=' };
}

/** An API matcher as a matcher (`isEqual` defaults to true). */
export function fromApiMatcher(m: ApiMatcher): AlertMatcher {
  const equal = m.isEqual !== false;
  return { name: m.name, value: m.value, type: m.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=' };
}

/** `name="value"` text of a matcher. */
export function formatMatcher(m: AlertMatcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}
