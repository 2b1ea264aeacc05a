// The table the ingest benchmarks print: samples/s per case (an operation being one scrape), against a baseline case.
import { type CaseResult, median, pairedRatio } from './rounds.js';

const whole = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * Prints `| case | samples/s | min – max | vs <baseline> |` rows, then the goal line for `headline`'s case, and
 * returns the headline's median samples/s. Each result's rates are operations/s, `perOperation` samples each.
 */
export function printSamplesTable(
  results: readonly CaseResult[],
  options: {
    labels: ReadonlyMap<string, string>;
    perOperation: number;
    baseline: string;
    baselineName: string;
    headline: string;
    goal: number;
  },
): number {
  console.log(`| Case | samples/s | min – max | vs ${options.baselineName} |`);
  console.log('|---|--:|--:|--:|');
  const baseline = results.find((r) => r.id === options.baseline)!;
  for (const result of results) {
    const rates = result.rates.map((r) => r * options.perOperation);
    const ratio = result === baseline ? '1.00×' : `${pairedRatio(result, baseline).toFixed(2)}×`;
    const range = `${whole(Math.min(...rates))} – ${whole(Math.max(...rates))}`;
    console.log(`| ${options.labels.get(result.id)} | ${whole(median(rates))} | ${range} | ${ratio} |`);
  }
  const headline = median(results.find((r) => r.id === options.headline)!.rates) * options.perOperation;
  const verdict = headline >= options.goal ? 'met' : 'not met';
  console.log(`\nGoal, ≥ ${whole(options.goal)} samples/s end to end on one core: ${whole(headline)} (${verdict}).\n`);
  return headline;
}
