/** A measured thing the rounds can drive: `run(n)` performs n operations and resolves with their wall time. */
export interface CaseRunner {
  /** A stable id that tables and ratios refer to. */
  readonly id: string;
  /** Performs n operations; resolves with the milliseconds they took. */
  run(n: number): Promise<number>;
}

/** How the rounds run. */
export interface RoundOptions {
  /** Measured rounds after the discarded warm-up round. */
  rounds: number;
  /** Wall time one case should take in one round; n is calibrated per case to reach it. */
  targetMs: number;
}

/** A case's operations per run, and its rate in each measured round. */
export interface CaseResult {
  id: string;
  /** Operations per run, as calibrated. */
  n: number;
  /** Operations per second, one entry per measured round, in round order. */
  rates: number[];
}

// A calibration run this long is long enough for its time to predict a longer one.
const CALIBRATION_MIN_MS = 50;

/**
 * Runs every case once per round, interleaved, so that a noisy neighbour on a shared machine
 * slows all cases of a round rather than all rounds of one case. The first round is a
 * discarded warm-up; the order rotates each round.
 */
export async function runRounds(runners: readonly CaseRunner[], options: RoundOptions): Promise<CaseResult[]> {
  const ns: number[] = [];
  for (const runner of runners) ns.push(await calibrate(runner, options.targetMs));
  const results: CaseResult[] = runners.map((runner, i) => ({ id: runner.id, n: ns[i]!, rates: [] }));
  for (let round = 0; round <= options.rounds; round++) {
    for (let i = 0; i < runners.length; i++) {
      const k = (i + round) % runners.length;
      const result = results[k]!;
      const ms = await runners[k]!.run(result.n);
      if (round > 0) result.rates.push((result.n / ms) * 1000);
    }
  }
  return results;
}

async function calibrate(runner: CaseRunner, targetMs: number): Promise<number> {
  let n = 1000;
  for (;;) {
    const ms = await runner.run(n);
    if (ms >= CALIBRATION_MIN_MS) return Math.max(1, Math.round((n * targetMs) / ms));
    n *= ms > 0 ? Math.min(100, Math.ceil((CALIBRATION_MIN_MS * 2) / ms)) : 100;
  }
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median over rounds of `result`'s rate divided by `baseline`'s rate in the same round. */
export function pairedRatio(result: CaseResult, baseline: CaseResult): number {
  return median(result.rates.map((rate, round) => rate / baseline.rates[round]!));
}
