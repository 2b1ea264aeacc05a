// Sorted lists of series ids ("postings") and the set operations a selection needs. Every input and
// output is sorted ascending without repeats. When one list is much shorter, its elements are found
// in the longer one by galloping search instead of a full merge.

/** A sorted list of series ids. */
export type Postings = readonly number[];

const GALLOP_RATIO = 16;

/** Ids present in every list (the lists may be given in any order). */
export function intersect(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let acc: number[] = sorted[0]!.slice();
  for (let k = 1; k < sorted.length && acc.length > 0; k++) acc = intersectTwo(acc, sorted[k]!);
  return acc;
}

/** Ids of `a` not in `b`. */
export function subtract(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  if (b.length === 0) return a.slice();
  if (a.length * GALLOP_RATIO < b.length) {
    let lo = 0;
    for (const id of a) {
      lo = gallop(b, id, lo);
      if (b[lo] !== id) out.push(id);
    }
    return out;
  }
  let j = 0;
  for (const id of a) {
    while (j < b.length && b[j]! < id) j++;
    if (b[j] !== id) out.push(id);
  }
  return out;
}

/** Ids in any of the lists. */
export function union(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!.slice();
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const l of lists) {
    for (const id of l) all[at++] = id;
  }
  all.sort();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const id = all[i]!;
    if (i === 0 || id !== all[i - 1]) out.push(id);
  }
  return out;
}

/** True when the lists share at least one id. */
export function intersects(a: Postings, b: Postings): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let lo = 0;
  for (const id of short) {
    lo = gallop(long, id, lo);
    if (lo >= long.length) return false;
    if (long[lo] === id) return true;
  }
  return false;
}

function intersectTwo(short: Postings, long: Postings): number[] {
  const out: number[] = [];
  if (short.length * GALLOP_RATIO < long.length) {
    let lo = 0;
    for (const id of short) {
      lo = gallop(long, id, lo);
      if (lo >= long.length) break;
      if (long[lo] === id) out.push(id);
    }
    return out;
  }
  let i = 0;
  let j = 0;
  while (i < short.length && j < long.length) {
    const a = short[i]!;
    const b = long[j]!;
    if (a === b) {
      out.push(a);
      i++;
      j++;
    } else if (a < b) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

// The first index ≥ `from` whose id is ≥ `id` (list.length if none): doubling steps, then binary search.
function gallop(list: Postings, id: number, from: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < list.length && list[hi]! < id) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > list.length) hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
