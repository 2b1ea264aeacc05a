import type { Label } from '../exposition/types.js';
import { badMatcher } from './bad-input.js';
import { canonicalLabels, flat, keyOfCanonical, type LabelSet, parseSeriesKey } from './labels.js';
import { compileMatcher, type LabelMatcher, type Matcher } from './matcher.js';
import { intersect, intersects, type Postings, subtract, union } from './postings.js';

/**
 * Label sets to series ids, and the postings (sorted id lists) that answer label matchers.
 * Ids are handed out in increasing order and never reused, so appending an id keeps every list sorted.
 * A series is stored once as its canonical key (see seriesKey); its labels are parsed from it on demand.
 */
export class SeriesIndex {
  private readonly ids = new Map<string, number>();
  private readonly keys: (string | undefined)[] = [];
  /** label name → label value → ids. No list per name: "has the label" is the union of its values' lists. */
  private readonly postings = new Map<string, Map<string, number[]>>();
  private count = 0;

  /** Number of series. */
  get size(): number {
    return this.count;
  }

  /**
   * The id of a label set, adding the series when it is new. Empty values are dropped, as in Prometheus.
   * Throws TsdbError VIGIL_TSDB_BAD_LABELS on an empty or repeated label name.
   */
  add(labels: LabelSet): number {
    const canonical = canonicalLabels(labels);
    const key = keyOfCanonical(canonical);
    const known = this.ids.get(key);
    return known !== undefined ? known : this.insert(key, canonical);
  }

  /**
   * Re-adds a stored series under its stored id, when reloading a store. Ids must come in increasing order
   * (skipped ids stay unused); `key` must be canonical, as `key()` returned it. Returns false, adding nothing,
   * when the key is not canonical or the id is not past every id so far.
   */
  restore(id: number, key: string): boolean {
    if (!Number.isInteger(id) || id < this.keys.length || this.ids.has(key)) return false;
    let labels: Label[];
    try {
      labels = canonicalLabels(parseSeriesKey(key));
    } catch {
      return false;
    }
    if (keyOfCanonical(labels) !== key) return false;
    while (this.keys.length < id) this.keys.push(undefined);
    this.insert(key, labels);
    return true;
  }

  /** The id of a label set, or undefined when it has none. */
  get(labels: LabelSet): number | undefined {
    return this.ids.get(keyOfCanonical(canonicalLabels(labels)));
  }

  /** The id of a series by its canonical key (see seriesKey), for callers that cache keys. */
  getByKey(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** The canonical key of a series, or undefined for an unknown or deleted id. */
  key(id: number): string | undefined {
    return this.keys[id];
  }

  /** The labels of a series, sorted by name, or undefined for an unknown or deleted id. */
  labels(id: number): Label[] | undefined {
    const key = this.keys[id];
    return key === undefined ? undefined : parseSeriesKey(key);
  }

  /**
   * Ids (ascending) of the series that satisfy every matcher, with Prometheus semantics: regexes are fully
   * anchored RE2, and a missing label reads as "" (`foo=""` selects series without foo, `foo!=""` those with
   * it). At least one matcher must not match the empty string. Throws TsdbError VIGIL_BAD_MATCHER otherwise,
   * and for a regex RE2 would not run.
   */
  select(matchers: readonly Matcher[]): number[] {
    const compiled = matchers.map(compileMatcher);
    if (!compiled.some((m) => !m.matchesEmpty)) {
      const list = compiled.length === 0 ? '(none)' : compiled.map(String).join(', ');
      throw badMatcher(`at least one matcher must not match the empty string; got ${list}`);
    }
    const its: Postings[] = [];
    const nots: Postings[] = [];
    for (const m of compiled) {
      if (m.matchesEmpty) {
        // Series without the label match; subtract those whose value does not.
        const rejected = this.postingsWhere(m, false);
        if (rejected.length > 0) nots.push(rejected);
      } else {
        const accepted = this.postingsWhere(m, true);
        if (accepted.length === 0) return [];
        its.push(accepted);
      }
    }
    let result = intersect(its);
    for (const n of nots) {
      if (result.length === 0) break;
      result = subtract(result, n);
    }
    return result;
  }

  /** Label names in use, sorted; with matchers, only those of the selected series. */
  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = [...this.postings.keys()];
    if (matchers.length > 0) {
      const selected = this.select(matchers);
      const has = (name: string) => {
        for (const ids of this.postings.get(name)!.values()) if (intersects(selected, ids)) return true;
        return false;
      };
      return names.filter(has).sort();
    }
    return names.sort();
  }

  /** Values of a label, sorted; with matchers, only those of the selected series. */
  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const byValue = this.postings.get(name);
    if (byValue === undefined) return [];
    if (matchers.length === 0) return [...byValue.keys()].sort();
    const selected = this.select(matchers);
    const out: string[] = [];
    for (const [value, ids] of byValue) if (intersects(selected, ids)) out.push(value);
    return out.sort();
  }

  /** Removes series (for retention); unknown ids are ignored. Returns how many were removed. */
  delete(ids: Iterable<number>): number {
    const gone = new Set<number>();
    const touched = new Set<number[]>();
    for (const id of ids) {
      const key = this.keys[id];
      if (key === undefined || gone.has(id)) continue;
      gone.add(id);
      this.ids.delete(key);
      this.keys[id] = undefined;
      for (const { name, value } of parseSeriesKey(key)) touched.add(this.postings.get(name)!.get(value)!);
    }
    if (gone.size === 0) return 0;
    for (const list of touched) removeAll(list, gone);
    this.count -= gone.size;
    for (const [name, byValue] of this.postings) {
      for (const [value, list] of byValue) if (list.length === 0) byValue.delete(value);
      if (byValue.size === 0) this.postings.delete(name);
    }
    return gone.size;
  }

  // Strings kept for the series' lifetime are flattened (see flat): only here, once per new series.
  private insert(built: string, labels: readonly Label[]): number {
    const key = flat(built);
    const id = this.keys.length;
    this.keys.push(key);
    this.ids.set(key, id);
    this.count++;
    for (const { name, value } of labels) {
      let byValue = this.postings.get(name);
      if (byValue === undefined) {
        byValue = new Map();
        this.postings.set(flat(name), byValue);
      }
      const list = byValue.get(value);
      if (list === undefined) byValue.set(flat(value), [id]);
      else list.push(id);
    }
    return id;
  }

  // Ids of the series that have label m.name with a value for which m.matches(value) === want.
  private postingsWhere(m: LabelMatcher, want: boolean): Postings {
    const byValue = this.postings.get(m.name);
    if (byValue === undefined) return [];
    const positive = m.type === '=' || m.type === '=~';
    // Fast paths: a literal set looked up directly, `!= ""` (and its inverse) is "has the label".
    if (m.literals !== undefined) {
      if (positive === want) return union(m.literals.map((v) => byValue.get(v) ?? []));
      if (m.literals.length === 1 && m.literals[0] === '') return union([...byValue.values()]);
    }
    const lists: Postings[] = [];
    for (const [value, ids] of byValue) if (m.matches(value) === want) lists.push(ids);
    return lists.length === 1 ? lists[0]! : union(lists);
  }
}

// Removes the ids in `gone` from a sorted list, in place.
function removeAll(list: number[], gone: ReadonlySet<number>): void {
  let w = 0;
  for (let r = 0; r < list.length; r++) {
    const id = list[r]!;
    if (!gone.has(id)) list[w++] = id;
  }
  list.length = w;
}
