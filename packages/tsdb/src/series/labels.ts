import type { Label } from '../exposition/types.js';
import { badLabels } from './bad-input.js';

/** A label set: the parser's `{ name, value }` list, or a plain object (`{ __name__: 'up', job: 'node' }`). */
export type LabelSet = readonly Label[] | Readonly<Record<string, string>>;

const BARE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NEEDS_ESCAPE = /[\\"\n]/;

/**
 * The labels sorted by name with empty values dropped (Prometheus: an empty value is no label).
 * Throws TsdbError VIGIL_TSDB_BAD_LABELS on an empty or repeated name.
 */
export function canonicalLabels(labels: LabelSet): Label[] {
  const out: Label[] = [];
  if (Array.isArray(labels)) {
    for (const l of labels as readonly Label[]) if (l.value !== '') out.push({ name: l.name, value: l.value });
  } else {
    const record = labels as Readonly<Record<string, string>>;
    for (const name of Object.keys(record)) {
      const value = record[name]!;
      if (value !== '') out.push({ name, value });
    }
  }
  out.sort(byName);
  for (let i = 0; i < out.length; i++) {
    const name = out[i]!.name;
    if (name === '') throw badLabels('a label has an empty name');
    if (i > 0 && out[i - 1]!.name === name) throw badLabels(`label "${name}" appears twice`);
  }
  return out;
}

/**
 * The series' canonical key: `{a="1",b="2"}` with names sorted, empty values dropped and values escaped as in
 * the Prometheus text format (names outside [a-zA-Z_][a-zA-Z0-9_]* are quoted too). Equal label sets give
 * equal keys; parseSeriesKey reverses it.
 */
export function seriesKey(labels: LabelSet): string {
  return keyOfCanonical(canonicalLabels(labels));
}

/** seriesKey for labels already in canonical form (sorted, no empty values, no repeats). */
export function keyOfCanonical(labels: readonly Label[]): string {
  const pairs: string[] = [];
  for (const l of labels) pairs.push(`${BARE_NAME.test(l.name) ? l.name : quote(l.name)}=${quote(l.value)}`);
  return `{${pairs.join(',')}}`;
}

/**
 * A copy of `text` that holds nothing else alive. V8 may represent a string built by concatenation as a
 * tree of its pieces, and one cut from a larger text (a whole scrape) as a view that keeps all of it;
 * a series key or label value kept for the series' lifetime must be neither.
 */
export function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** The canonical labels a seriesKey was made from. */
export function parseSeriesKey(key: string): Label[] {
  const out: Label[] = [];
  let i = 1;
  while (i < key.length - 1) {
    let name: string;
    if (key[i] === '"') {
      const [text, end] = unquote(key, i);
      name = text;
      i = end;
    } else {
      const eq = key.indexOf('=', i);
      name = key.slice(i, eq);
      i = eq;
    }
    const [value, end] = unquote(key, i + 1);
    out.push({ name, value });
    i = end + 1; // skip ','
  }
  return out;
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function quote(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

// Reads the quoted string starting at key[start] === '"'; returns its text and the index after the closing quote.
function unquote(key: string, start: number): [string, number] {
  let i = start + 1;
  let text = '';
  let from = i;
  for (;;) {
    const c = key.charCodeAt(i);
    if (c === 0x22 || i >= key.length) break;
    if (c === 0x5c) {
      text += key.slice(from, i);
      const next = key[i + 1];
      text += next === 'n' ? '\n' : next;
      i += 2;
      from = i;
      continue;
    }
    i++;
  }
  return [text + key.slice(from, i), i + 1];
}
