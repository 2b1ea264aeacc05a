// absent() and absent_over_time(): one series, labelled from the selector's equality matchers, where nothing is.
import type { Evaluator } from '../eval/evaluator.js';
import { NAME } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import type { Expr } from '../parse/ast.js';
import type { Label } from '../storage/querier.js';

/** Labels absent() reports: the equality matchers of a selector argument (a name matched twice is left out). */
function absentLabels(arg: Expr): Label[] {
  while (arg.type === 'paren') arg = arg.expr;
  const vs = arg.type === 'vectorSelector' ? arg : arg.type === 'matrixSelector' ? arg.selector : undefined;
  if (!vs) return [];
  const seen = new Map<string, number>();
  for (const m of vs.matchers) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  const out: Label[] = [];
  for (const m of vs.matchers) {
    if (m.type === '=' && m.name !== NAME && seen.get(m.name) === 1 && m.value !== '')
      out.push({ name: m.name, value: m.value });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function absent(input: StepSeries[], arg: Expr, n: number): StepSeries[] {
  const s = newSeries(absentLabels(arg), n, false);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!input.some((x) => x.present[i] === 1)) {
      s.present[i] = 1;
      s.values[i] = 1;
      any = true;
    }
  }
  return any ? [s] : [];
}

export function absentOverTime(ev: Evaluator, argExpr: Expr): StepSeries[] {
  const arg = ev.rangeArg(argExpr);
  const s = newSeries(absentLabels(argExpr), ev.n, false);
  let any = false;
  for (let i = 0; i < ev.n; i++) {
    const end = ev.windowEnd(arg, i);
    const start = end - arg.rangeMs;
    const found = arg.series.some((r) => {
      for (let k = 0; k < r.len; k++) if (r.ts[k]! > start && r.ts[k]! <= end) return true;
      return false;
    });
    if (!found) {
      s.present[i] = 1;
      s.values[i] = 1;
      any = true;
    }
  }
  return any ? [s] : [];
}
