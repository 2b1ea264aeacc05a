// End-to-end ingest through Vigil's real scrape loop: each operation is one scrape of a node-exporter-like
// target (~400 samples, 25 targets, answers from memory so no HTTP is timed) parsed, labelled, checked and
// appended into a file Tsdb — against parsing alone, in interleaved rounds, each case in its own process.
// No peer runs in-process (Prometheus is a Go binary); the parse-only case is the baseline of the ratio.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { CaseProcess } from './harness/case-process.js';
import { runRounds } from './harness/rounds.js';
import { printSamplesTable } from './harness/samples-table.js';
import { SCRAPE_CASES } from './scrape/scrape-cases.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 500);
const GOAL = 1_000_000;

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

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
  printSamplesTable(results, {
    labels: new Map(SCRAPE_CASES.map((c) => [c.id, c.label])),
    perOperation: perScrape,
    baseline: 'parse',
    baselineName: 'parse only',
    headline: 'scrape-loop',
    goal: GOAL,
  });
} finally {
  for (const p of processes) p.close();
}
