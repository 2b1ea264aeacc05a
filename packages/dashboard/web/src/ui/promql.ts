// Building PromQL from the filters a user picked.

/** A PromQL string literal: the value is quoted and escaped, so no filter value can change the query. */
export function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** `{a="x",b="y"}` from the filters that are set, or `''` when none is. */
export function matchers(filters: Record<string, string | null | undefined>): string {
  const parts = Object.entries(filters)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([name, value]) => `${name}=${quote(value)}`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}
