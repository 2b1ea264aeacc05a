// End-to-end ingest through Vigil's real scrape loop: each operation is one scrape of a node-exporter-like
// target (~400 samples, 25 targets, answers from memory so no HTTP is timed) parsed, labelled, checked and
// appended into a file Tsdb — against parsing alone, in interleaved rounds, each case in its own process.
// No peer runs in-process (Prometheus is a Go binary); the parse-only case is the baseline of the ratio.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { CaseProcess } from './harness/case-process.js';
import { median, pairedRatio, runRounds } from './harness/rounds.js';
import { SCRAPE_CASES } from './scrape/scrape-cases.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 500);
const GOAL = 1_000_000;

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');

const script = new URL('./scrape/scrape-case-main.js', import.meta.url);
const processes = SCRAPE_CASES.map((c) => new CaseProcess(script, c.id));
try {
  const loadBefore = loadavg()[0]!;
  const results = await runRounds(processes, { rounds: ROUNDS, targetMs: TARGET_MS });
  const perScrape = processes[0]!.report.samplesPerScrape ?? 0;
  console.log('## scrape\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), shared; ` +
      `load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}. ${ROUNDS} interleaved rounds, ~${TARGET_MS} ms ` +
      `per case per round; one operation is one scrape (${perScrape} samples). Medians over rounds.\n`,
  );
  console.log('| Case | samples/s | min – max | vs parse only |');
  console.log('|---|--:|--:|--:|');
  const parse = results.find((r) => r.id === 'parse')!;
  for (const result of results) {
    const label = SCRAPE_CASES.find((c) => c.id === result.id)!.label;
    const rates = result.rates.map((r) => r * perScrape);
    const ratio = result === parse ? '1.00×' : `${pairedRatio(result, parse).toFixed(2)}×`;
    console.log(
      `| ${label} | ${whole(median(rates))} | ${whole(Math.min(...rates))} – ${whole(Math.max(...rates))} | ${ratio} |`,
    );
  }
  const headline = median(results.find((r) => r.id === 'scrape-loop')!.rates) * perScrape;
  console.log(
    `\nGoal, ≥ ${whole(GOAL)} samples/s end to end on one core: ${whole(headline)} (${headline >= GOAL ? 'met' : 'not met'}).\n`,
  );
} finally {
  for (const p of processes) p.close();
}
