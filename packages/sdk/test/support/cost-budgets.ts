import { type BudgetConfig, type BudgetPause, createBudgets } from '../../src/cost/index.js';
import { createMetrics } from '../../src/metrics/index.js';
import { captureLogger, type Line } from './capture.js';
import { type Sample, samples } from './metrics-read.js';

/** Budgets on a fake clock, with captured log lines, their own metrics, and the pauses they asked for. */
export function budgetsAt(start: string, budgets: BudgetConfig[], onPause?: (pause: BudgetPause) => void) {
  const clock = { now: Date.parse(start) };
  const { log, out } = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false, logger: log });
  const pauses: BudgetPause[] = [];
  const instance = createBudgets({
    budgets,
    now: () => clock.now,
    logger: log,
    metrics,
    onPause:
      onPause ??
      ((pause) => {
        pauses.push(pause);
      }),
  });
  return {
    budgets: instance,
    pauses,
    /** Sets the clock to an ISO time. */
    at(iso: string): void {
      clock.now = Date.parse(iso);
    },
    /** Moves the clock forward. */
    advance(ms: number): void {
      clock.now += ms;
    },
    /** The `cost.*` events logged so far. */
    events(): Line[] {
      return out.lines.filter((line) => typeof line.event === 'string' && String(line.event).startsWith('cost.'));
    },
    lines: () => out.lines,
    /** Every sample of one of the registry's metrics, by exposed name. */
    async metric(name: string): Promise<Sample[]> {
      const metric = metrics.registry.getSingleMetric(name);
      if (metric === undefined) return [];
      return samples({ metric: metric as never });
    },
  };
}
