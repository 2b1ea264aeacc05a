import { unescapeText } from './escapes.js';
import type { Label } from './types.js';

/** The label name was written quoted (`"name"`), so its text is inside the quotes. */
export const NAME_QUOTED = 1;
/** The quoted label name contains a backslash escape. */
export const NAME_ESCAPED = 2;
/** The label value contains a backslash escape. */
export const VALUE_ESCAPED = 4;

/**
 * The labels of one line as offsets into the exposition text: building strings is left to
 * `toLabels()`, so a scrape loop that finds the series in its cache never pays for it.
 */
export class LabelSet {
  /** Per label: name start, name end, value start, value end (quotes excluded for values). */
  offsets = new Int32Array(64);
  flags = new Uint8Array(16);
  count = 0;
  /** Names were not strictly increasing as written: sort (and look for duplicates) on use. */
  unsorted = false;

  reset(): void {
    this.count = 0;
    this.unsorted = false;
  }

  push(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, flags: number): void {
    const i = this.count++;
    if (i === this.flags.length) {
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const grown = new Uint8Array(this.flags.length * 2);
      grown.set(this.flags);
      this.flags = grown;
    }
    const o = i * 4;
    this.offsets[o] = nameStart;
    this.offsets[o + 1] = nameEnd;
    this.offsets[o + 2] = valueStart;
    this.offsets[o + 3] = valueEnd;
    this.flags[i] = flags;
  }

  /** The name of label `i`, unescaped. */
  name(text: string, i: number): string {
    const o = i * 4;
    const flags = this.flags[i]!;
    if ((flags & NAME_QUOTED) === 0) return text.slice(this.offsets[o]!, this.offsets[o + 1]!);
    const start = this.offsets[o]! + 1;
    const end = this.offsets[o + 1]! - 1;
    return (flags & NAME_ESCAPED) === 0 ? text.slice(start, end) : unescapeText(text, start, end, true);
  }

  /** The value of label `i`, unescaped. */
  value(text: string, i: number): string {
    const o = i * 4;
    const start = this.offsets[o + 2]!;
    const end = this.offsets[o + 3]!;
    return (this.flags[i]! & VALUE_ESCAPED) === 0 ? text.slice(start, end) : unescapeText(text, start, end, true);
  }

  /**
   * How the names of labels `a` and `b` order (negative, zero, positive), comparing the text
   * in place; undefined when one is an escaped quoted name, which only its string can tell.
   */
  compareNames(text: string, a: number, b: number): number | undefined {
    const fa = this.flags[a]!;
    const fb = this.flags[b]!;
    if (((fa | fb) & NAME_ESCAPED) !== 0) return undefined;
    const qa = fa & NAME_QUOTED;
    const qb = fb & NAME_QUOTED;
    const aStart = this.offsets[a * 4]! + qa;
    const aEnd = this.offsets[a * 4 + 1]! - qa;
    const bStart = this.offsets[b * 4]! + qb;
    const bEnd = this.offsets[b * 4 + 1]! - qb;
    const n = Math.min(aEnd - aStart, bEnd - bStart);
    for (let k = 0; k < n; k++) {
      const d = text.charCodeAt(aStart + k) - text.charCodeAt(bStart + k);
      if (d !== 0) return d;
    }
    return aEnd - aStart - (bEnd - bStart);
  }

  /** The labels as objects, sorted by name. */
  toLabels(text: string): Label[] {
    const labels: Label[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) labels[i] = { name: this.name(text, i), value: this.value(text, i) };
    if (this.unsorted) labels.sort(byName);
    return labels;
  }

  /** The index of a label whose name repeats an earlier one (in written order), or -1. */
  findDuplicate(text: string): number {
    const seen = new Set<string>();
    for (let i = 0; i < this.count; i++) {
      const name = this.name(text, i);
      if (seen.has(name)) return i;
      seen.add(name);
    }
    return -1;
  }
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
