// Turns the runs of the HTTP benchmark into the markdown table and the goal check.
import type { ServerCase } from './cases.js';

/** One case measured once. */
export interface Measurement {
  requestsPerSecond: number;
  p99Ms: number;
  /** CPU time of the server child per request answered: the cost, whoever held the CPU. */
  cpuMicrosPerRequest: number;
  /** The server child's CPU time over the wall time of the load: near 1 when the server, not the load, set the pace. */
  serverBusy: number;
}

/** Every run of one case, in run order. */
export interface CaseRuns {
  case: ServerCase;
  runs: Measurement[];
}

/** The largest cost of Vigil's middleware the goal allows, as a share of bare throughput. */
export const VIGIL_COST_GOAL = 0.05;

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median over runs of the case's value divided by its baseline's in the same run: a
 * neighbour that slowed one run slowed both sides of its ratio.
 */
export function pairedRatio(runs: CaseRuns, baseline: CaseRuns, value: (m: Measurement) => number): number {
  return median(runs.runs.map((m, run) => value(m) / value(baseline.runs[run]!)));
}

/** Throughput lost to the instrument: 1 - paired req/s ratio; undefined for a baseline. */
export function throughputCost(runs: CaseRuns, all: readonly CaseRuns[]): number | undefined {
  const baseline = baselineOf(runs, all);
  return baseline && 1 - pairedRatio(runs, baseline, (m) => m.requestsPerSecond);
}

/** The markdown table: medians over runs, with the spread of req/s. */
export function renderTable(all: readonly CaseRuns[]): string {
  const rows = [
    '| Server | req/s (median) | req/s min–max | p99 latency (ms) | server CPU busy | server CPU per request (µs) | req/s vs baseline | throughput cost | added server CPU per request (µs) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const runs of all) {
    const rates = runs.runs.map((m) => m.requestsPerSecond);
    const baseline = baselineOf(runs, all);
    const ratio = baseline && pairedRatio(runs, baseline, (m) => m.requestsPerSecond);
    const addedCpu =
      baseline && median(runs.runs.map((m, run) => m.cpuMicrosPerRequest - baseline.runs[run]!.cpuMicrosPerRequest));
    rows.push(
      `| ${[
        runs.case.label,
        integer(median(rates)),
        `${integer(Math.min(...rates))}–${integer(Math.max(...rates))}`,
        median(runs.runs.map((m) => m.p99Ms)).toFixed(0),
        percent(median(runs.runs.map((m) => m.serverBusy)), 0),
        median(runs.runs.map((m) => m.cpuMicrosPerRequest)).toFixed(1),
        runs.case.baseline === undefined
          ? 'baseline'
          : ratio === undefined
            ? `(${runs.case.baseline} not run)`
            : `${ratio.toFixed(3)}× ${runs.case.baseline}`,
        ratio === undefined ? '' : percent(1 - ratio),
        addedCpu === undefined ? '' : `${addedCpu >= 0 ? '+' : ''}${addedCpu.toFixed(1)}`,
      ].join(' | ')} |`,
    );
  }
  return rows.join('\n');
}

/** Whether Vigil's cost meets the goal: at most 5% of bare throughput, and below every peer's. */
export function renderGoal(all: readonly CaseRuns[]): string {
  const costOf = (id: string) => {
    const runs = all.find((r) => r.case.id === id);
    return runs && { label: runs.case.label, cost: throughputCost(runs, all) };
  };
  const peers = ['otel', 'express-prom'].map(costOf).filter((peer) => peer?.cost !== undefined);
  const lines: string[] = [];
  for (const id of ['vigil', 'vigil-nolog']) {
    const vigil = costOf(id);
    if (vigil?.cost === undefined) continue;
    const verdicts = [
      `goal ≤ ${percent(VIGIL_COST_GOAL)}: ${vigil.cost <= VIGIL_COST_GOAL ? 'met' : 'not met'}`,
      ...peers.map(
        (peer) => `below ${peer!.label}'s ${percent(peer!.cost!)}: ${vigil.cost! < peer!.cost! ? 'yes' : 'no'}`,
      ),
    ];
    lines.push(`- ${vigil.label} costs ${percent(vigil.cost)} of bare throughput (${verdicts.join('; ')}).`);
  }
  return lines.length > 0 ? lines.join('\n') : 'Goal not checked: no Vigil case ran with its node:http baseline.';
}

function baselineOf(runs: CaseRuns, all: readonly CaseRuns[]): CaseRuns | undefined {
  return runs.case.baseline === undefined ? undefined : all.find((r) => r.case.id === runs.case.baseline);
}

function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}
