// label_replace, label_join and sort_by_label: functions that rewrite or order by labels.
import { compileRe2 } from '@vigil/re2';
import { PromqlError } from '../errors.js';
import { getLabel, NAME, setLabel } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { SeriesCollector } from '../eval/values.js';
import { isValidUtf8 } from '../parse/literals.js';

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$' || i === template.length - 1) {
      out += c;
      continue;
    }
    const next = template[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(inner)) {
        out += c;
        continue;
      }
      name = inner;
      i = close;
    } else {
      const word = /^\w+/.exec(template.slice(i + 1));
      if (!word) {
        out += c;
        continue;
      }
      name = word[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

function checkLabelName(name: string, what: string): void {
  if (name === '' || !isValidUtf8(name)) throw new PromqlError('VIGIL_PROMQL_EVAL', `invalid ${what}: ${name}`);
}

/** Re-collects series whose label sets changed, merging equal ones (a step with two values is an error). */
export function mergeByLabels(series: StepSeries[], n: number): StepSeries[] {
  const c = new SeriesCollector(n);
  for (const s of series) {
    const out = c.get(s.labels, s.dropName);
    for (let i = 0; i < n; i++) if (s.present[i] === 1) SeriesCollector.set(out, i, s.values[i]!);
  }
  return c.series;
}

/** label_replace(v, dst, replacement, src, regex). */
export function labelReplace(
  input: StepSeries[],
  n: number,
  dst: string,
  repl: string,
  src: string,
  regex: string,
): StepSeries[] {
  let re: RegExp;
  try {
    re = compileRe2(regex);
  } catch {
    throw new PromqlError('VIGIL_PROMQL_BAD_REGEX', `invalid regular expression in label_replace(): ${regex}`);
  }
  checkLabelName(dst, 'destination label name in label_replace()');
  const out = input.map((s) => {
    const m = re.exec(getLabel(s.labels, src));
    if (!m) return s;
    const labels = setLabel(s.labels, dst, expandTemplate(repl, m));
    return { ...s, labels, times: undefined, dropName: dst === NAME ? false : s.dropName };
  });
  return mergeByLabels(out, n);
}

/** label_join(v, dst, separator, src...). */
export function labelJoin(input: StepSeries[], n: number, dst: string, sep: string, srcs: string[]): StepSeries[] {
  for (const s of srcs) checkLabelName(s, 'source label name in label_join()');
  checkLabelName(dst, 'destination label name in label_join()');
  const out = input.map((s) => {
    const value = srcs.map((l) => getLabel(s.labels, l)).join(sep);
    return {
      ...s,
      labels: setLabel(s.labels, dst, value),
      times: undefined,
      dropName: dst === NAME ? false : s.dropName,
    };
  });
  return mergeByLabels(out, n);
}

/** Natural order of two strings (digit runs compare as numbers). */
export function naturalLess(a: string, b: string): boolean {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = Number(x);
      const ny = Number(y);
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return ca.length < cb.length;
}
