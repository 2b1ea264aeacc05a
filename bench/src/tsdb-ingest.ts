// End-to-end ingest samples per second: a node-exporter-like exposition parsed with ExpositionParser's fast
// path, each series looked up in a scrape-loop cache and appended into a file Tsdb (flushed at the end of
// every run, so the chunks cut during the run are written to SQLite inside the timing). Against parsing
// alone and appending alone, in interleaved rounds, each case in its own process. No peer: Prometheus's
// ingest cannot run in-process, and no npm TSDB does what this one does; the parse-only case is the
// baseline the ratio is taken against.
import { availableParallelism, cpus } from 'node:os';
import { CaseProcess } from './harness/case-process.js';
import { runRounds } from './harness/rounds.js';
import { printSamplesTable } from './harness/samples-table.js';
import { INGEST_CASES } from './tsdb/ingest-cases.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 500);
const GOAL = 1_000_000;

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const script = new URL('./tsdb/ingest-case-main.js', import.meta.url);
const processes = INGEST_CASES.map((c) => new CaseProcess(script, c.id));
try {
  const results = await runRounds(processes, { rounds: ROUNDS, targetMs: TARGET_MS });
  const perScrape = processes[0]!.report.samplesPerScrape ?? 0;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## tsdb-ingest\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), shared. ${ROUNDS} interleaved rounds after a ` +
      `warm-up, ~${TARGET_MS} ms per case per round; one operation is one scrape of a node-exporter-like target ` +
      `(${perScrape} samples, 25 targets, 15 s apart). Medians over rounds; ratios are medians of same-round ratios.\n`,
  );
  printSamplesTable(results, {
    labels: new Map(INGEST_CASES.map((c) => [c.id, c.label])),
    perOperation: perScrape,
    baseline: 'parse',
    baselineName: 'parse only',
    headline: 'ingest',
    goal: GOAL,
  });
} finally {
  for (const p of processes) p.close();
}
