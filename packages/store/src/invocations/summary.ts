import type { InvocationRecord } from './types.js';

/** What invocations are grouped by in a summary. */
export type SummaryKey = 'task_type' | 'model' | 'task_type_and_model';

/** Calls, tokens, errors, cost and latency percentiles of one group of invocations. */
export interface InvocationSummary {
  task_type: string | null;
  /** `model_actual`, else `model_alias`. */
  model: string | null;
  calls: number;
  errors: number;
  error_rate: number;
  tokens_in: number;
  tokens_out: number;
  /** Sum of the known costs; calls whose model had no price are counted in `unpriced_calls`. */
  cost_usd: number;
  unpriced_calls: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  latency_p99_ms: number;
}

/**
 * The dashboard's figures per task type and/or model, from rows a query returned: calls,
 * tokens, errors (any status but `ok`), cost and latency p50/p95/p99 (nearest-rank). A pure
 * function, so every store driver gives the same answer.
 */
export function summarizeInvocations(rows: Iterable<InvocationRecord>, by: SummaryKey): InvocationSummary[] {
  const groups = new Map<string, { task: string | null; model: string | null; rows: InvocationRecord[] }>();
  for (const row of rows) {
    const model = row.model_actual ?? row.model_alias;
    const task = by === 'model' ? null : row.task_type;
    const key = by === 'task_type' ? `t:${task}` : by === 'model' ? `m:${model}` : `t:${task}\u0000m:${model}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { task, model: by === 'task_type' ? null : model, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()].map(({ task, model, rows: members }) => {
    const latencies = members.map((r) => r.latency_ms).sort((a, b) => a - b);
    const errors = members.filter((r) => r.status !== 'ok').length;
    const priced = members.filter((r) => r.cost_usd !== null);
    return {
      task_type: task,
      model,
      calls: members.length,
      errors,
      error_rate: errors / members.length,
      tokens_in: sum(members.map((r) => r.tokens_in)),
      tokens_out: sum(members.map((r) => r.tokens_out)),
      cost_usd: sum(priced.map((r) => r.cost_usd as number)),
      unpriced_calls: members.length - priced.length,
      latency_p50_ms: rank(latencies, 0.5),
      latency_p95_ms: rank(latencies, 0.95),
      latency_p99_ms: rank(latencies, 0.99),
    };
  });
}

function sum(values: number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
