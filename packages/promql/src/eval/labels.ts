// Label-set helpers. A label set is an array of {name, value} sorted by name, without empty values.
import type { Label } from '../storage/querier.js';

/** The metric-name label. */
export const NAME = '__name__';

/** A string that identifies a label set (used as a Map key). */
export function labelsKey(ls: readonly Label[]): string {
  let k = '';
  for (const l of ls) k += `${l.name}\xfe${l.value}\xff`;
  return k;
}

/** The value of label `name`, or '' when absent. */
export function getLabel(ls: readonly Label[], name: string): string {
  for (const l of ls) if (l.name === name) return l.value;
  return '';
}

/** The label set without the named labels. */
export function dropLabels(ls: readonly Label[], names: ReadonlySet<string>): Label[] {
  return ls.filter((l) => !names.has(l.name));
}

/** The label set with only the named labels. */
export function keepLabels(ls: readonly Label[], names: ReadonlySet<string>): Label[] {
  return ls.filter((l) => names.has(l.name));
}

/** The label set with `name` set to `value` (removed when value is ''). */
export function setLabel(ls: readonly Label[], name: string, value: string): Label[] {
  const out: Label[] = [];
  let done = value === '';
  for (const l of ls) {
    if (l.name === name) continue;
    if (!done && l.name > name) {
      out.push({ name, value });
      done = true;
    }
    out.push(l);
  }
  if (!done) out.push({ name, value });
  return out;
}

/** The label set without `__name__`. */
export function dropName(ls: readonly Label[]): Label[] {
  return ls[0]?.name === NAME || ls.some((l) => l.name === NAME) ? ls.filter((l) => l.name !== NAME) : (ls as Label[]);
}

/** `{a="b", c="d"}` as Prometheus prints a label set (name first, unquoted). */
export function formatLabels(ls: readonly Label[]): string {
  const name = getLabel(ls, NAME);
  const rest = ls.filter((l) => l.name !== NAME).map((l) => `${l.name}=${JSON.stringify(l.value)}`);
  return `${name}{${rest.join(', ')}}`;
}

/** A label set as a plain object. */
export function labelsToRecord(ls: readonly Label[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of ls) out[l.name] = l.value;
  return out;
}

/** Orders label sets as Prometheus does (by name, then value, label by label). */
export function compareLabels(a: readonly Label[], b: readonly Label[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}
