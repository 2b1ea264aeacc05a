// sort, sort_desc, sort_by_label(_desc): the order of an instant query's result.
import { compareLabels, getLabel } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { naturalLess } from './labels.js';

export function sortByValue(input: StepSeries[], n: number, desc: boolean): StepSeries[] {
  if (n !== 1) return input;
  return [...input].sort((a, b) => {
    const x = a.values[0]!;
    const y = b.values[0]!;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return desc ? y - x : x - y;
  });
}

export function sortByLabel(input: StepSeries[], names: string[], desc: boolean): StepSeries[] {
  const sign = desc ? -1 : 1;
  return [...input].sort((a, b) => {
    for (const l of names) {
      const x = getLabel(a.labels, l);
      const y = getLabel(b.labels, l);
      if (x === y) continue;
      return naturalLess(x, y) ? -sign : sign;
    }
    return sign * compareLabels(a.labels, b.labels);
  });
}
