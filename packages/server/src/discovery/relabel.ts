import { createHash } from 'node:crypto';
import type { Label } from '@vigil/tsdb';
import { isLabelName, type RelabelRule } from './relabel-rule.js';

/**
 * Applies relabel rules in order, as Prometheus does: the labels after the last rule (sorted by name), or
 * undefined when a keep/drop rule dropped the set. An empty value removes a label. The input is not modified;
 * when the rules only keep or drop (the common metric_relabel_configs), a kept input comes back as it is.
 */
export function relabel(labels: readonly Label[], rules: readonly RelabelRule[]): Label[] | undefined {
  return rules.every(onlyFilters) ? filter(labels, rules) : rewrite(labels, rules);
}

/** relabel() with its implementation chosen once for the rules: for the scrape loop's per-series path. */
export function relabeler(rules: readonly RelabelRule[]): (labels: readonly Label[]) => Label[] | undefined {
  if (rules.length === 0) return (labels) => labels as Label[];
  if (rules.every(onlyFilters)) return (labels) => filter(labels, rules);
  return (labels) => rewrite(labels, rules);
}

function onlyFilters(rule: RelabelRule): boolean {
  return rule.action === 'keep' || rule.action === 'drop' || rule.action === 'keepequal' || rule.action === 'dropequal';
}

// Keep/drop rules read labels and build nothing.
function filter(labels: readonly Label[], rules: readonly RelabelRule[]): Label[] | undefined {
  const get = (name: string) => {
    for (const l of labels) if (l.name === name) return l.value;
    return '';
  };
  for (const rule of rules) {
    const names = rule.sourceLabels;
    const value = names.length === 1 ? get(names[0]!) : names.map(get).join(rule.separator);
    const keep =
      rule.action === 'keep'
        ? rule.regex.test(value)
        : rule.action === 'drop'
          ? !rule.regex.test(value)
          : (get(rule.targetLabel) === value) === (rule.action === 'keepequal');
    if (!keep) return undefined;
  }
  return labels as Label[];
}

function rewrite(labels: readonly Label[], rules: readonly RelabelRule[]): Label[] | undefined {
  const set = new Map<string, string>();
  for (const l of labels) if (l.value !== '') set.set(l.name, l.value);
  if (!relabelInPlace(set, rules)) return undefined;
  return sortedLabels(set);
}

/** relabel() on a mutable name → value map; returns false when the set is dropped. */
export function relabelInPlace(set: Map<string, string>, rules: readonly RelabelRule[]): boolean {
  for (const rule of rules) if (!apply(rule, set)) return false;
  return true;
}

/** The labels of a map sorted by name. */
export function sortedLabels(set: ReadonlyMap<string, string>): Label[] {
  const out: Label[] = [];
  for (const [name, value] of set) out.push({ name, value });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function put(set: Map<string, string>, name: string, value: string): void {
  if (value === '') set.delete(name);
  else set.set(name, value);
}

function apply(rule: RelabelRule, set: Map<string, string>): boolean {
  const value = rule.sourceLabels.map((name) => set.get(name) ?? '').join(rule.separator);
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(value);
    case 'keep':
      return rule.regex.test(value);
    case 'dropequal':
      return (set.get(rule.targetLabel) ?? '') !== value;
    case 'keepequal':
      return (set.get(rule.targetLabel) ?? '') === value;
    case 'replace': {
      const match = rule.regex.exec(value);
      if (match === null) return true;
      const target = expand(rule.targetLabel, match);
      if (!isLabelName(target)) return true;
      put(set, target, expand(rule.replacement, match));
      return true;
    }
    case 'lowercase':
      put(set, rule.targetLabel, value.toLowerCase());
      return true;
    case 'uppercase':
      put(set, rule.targetLabel, value.toUpperCase());
      return true;
    case 'hashmod': {
      // The last 8 bytes of the MD5, big-endian, modulo: the same shard as Prometheus picks.
      const digest = createHash('md5').update(value).digest();
      put(set, rule.targetLabel, (digest.readBigUInt64BE(8) % BigInt(rule.modulus)).toString());
      return true;
    }
    case 'labelmap':
      for (const [name, v] of [...set]) {
        const match = rule.regex.exec(name);
        if (match === null) continue;
        const mapped = expand(rule.replacement, match);
        if (mapped !== '') set.set(mapped, v);
      }
      return true;
    case 'labeldrop':
      for (const name of [...set.keys()]) if (rule.regex.test(name)) set.delete(name);
      return true;
    case 'labelkeep':
      for (const name of [...set.keys()]) if (!rule.regex.test(name)) set.delete(name);
      return true;
  }
}

const NAME_CHAR = /[a-zA-Z0-9_]/;

/**
 * Expands `$1`, `${1}`, `$name`, `${name}` and `$$` in a template as Go's Regexp.Expand does: `$name` takes the
 * longest run of letters, digits and `_`; an unknown or unmatched group is empty; a malformed `${` stays literal.
 */
export function expand(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name = '';
    if (template[i] === '{') {
      const close = template.indexOf('}', i + 1);
      const inner = close < 0 ? '' : template.slice(i + 1, close);
      if (inner === '' || ![...inner].every((c) => NAME_CHAR.test(c))) {
        out += '$';
        continue;
      }
      name = inner;
      i = close + 1;
    } else {
      let end = i;
      while (end < template.length && NAME_CHAR.test(template[end]!)) end++;
      if (end === i) {
        out += '$';
        continue;
      }
      name = template.slice(i, end);
      i = end;
    }
    out += group(match, name);
  }
  return out;
}

function group(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
  return match.groups?.[name] ?? '';
}
