// Samples and megabytes per second parsing Prometheus text expositions: Vigil's parser against
// parse-prometheus-text-format. Two workloads: a large generated exposition (~10k series of a
// busy agent service) and what a real prometheus-node-exporter serves, captured at run time.
// Each case runs in its own process on the same text; this one drives them in interleaved
// rounds and prints one table per workload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARSE_CASES } from './exposition/cases.js';
import { EXPOSITION_SERIES } from './exposition/config.js';
import { generateExposition } from './exposition/input.js';
import { captureNodeExporter } from './exposition/node-exporter.js';
import { CaseProcess } from './harness/case-process.js';
import { type CaseResult, median, pairedRatio, runRounds } from './harness/rounds.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 300);
const GOAL_SAMPLES_PER_SECOND = 1_000_000;

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');

interface Workload {
  title: string;
  text: string;
}

/** Sample lines of a text exposition: what samples/s counts for every parser alike. */
function sampleLines(text: string): number {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
}

async function measure(workload: Workload, dir: string): Promise<CaseResult[]> {
  const file = join(dir, 'exposition.txt');
  writeFileSync(file, workload.text);
  // Case processes inherit the environment at fork: this is how they find the workload.
  process.env.BENCH_EXPOSITION_FILE = file;
  const script = new URL('./exposition/case-main.js', import.meta.url);
  const processes = PARSE_CASES.map((c) => new CaseProcess(script, c.id));
  try {
    const results = await runRounds(processes, { rounds: ROUNDS, targetMs: TARGET_MS });
    printTable(workload, results, processes);
    return results;
  } finally {
    for (const p of processes) p.close();
  }
}

function printTable(workload: Workload, results: CaseResult[], processes: CaseProcess[]): void {
  const bytes = Buffer.byteLength(workload.text);
  const lines = sampleLines(workload.text);
  const peer = results.find((r) => r.id === 'peer')!;
  console.log(`### ${workload.title}: ${whole(lines)} samples, ${(bytes / 1e6).toFixed(2)} MB\n`);
  console.log(
    '| Parser | samples/s | MB/s | min – max samples/s | samples returned | vs parse-prometheus-text-format |',
  );
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const result of results) {
    const label = PARSE_CASES.find((c) => c.id === result.id)!.label;
    const returned = processes.find((p) => p.id === result.id)!.report.samples ?? 0;
    const parses = median(result.rates);
    const spread = `${whole(Math.min(...result.rates) * lines)} – ${whole(Math.max(...result.rates) * lines)}`;
    const vsPeer = result === peer ? '1.00×' : `${pairedRatio(result, peer).toFixed(2)}×`;
    const mbs = ((parses * bytes) / 1e6).toFixed(1);
    console.log(`| ${label} | ${whole(parses * lines)} | ${mbs} | ${spread} | ${whole(returned)} | ${vsPeer} |`);
  }
  const headline = median(results.find((r) => r.id === 'vigil-entries')!.rates) * lines;
  const verdict = headline >= GOAL_SAMPLES_PER_SECOND ? 'met' : 'not met';
  console.log(
    `\nGoal, ≥ ${whole(GOAL_SAMPLES_PER_SECOND)} samples/s on one core with every sample built: ${whole(headline)} (${verdict}).\n`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-exposition-'));
try {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## exposition-parse\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}). Each case in its own process; ${ROUNDS} ` +
      `interleaved rounds after a discarded warm-up, ~${TARGET_MS} ms per case per round, gc before each run. ` +
      'samples/s counts the sample lines of the text for every parser; rates are medians over rounds, ratios ' +
      'medians of same-round ratios. "samples returned" is what each parser handed back: the peer folds a ' +
      "histogram's or summary's lines into one metric, and keeps values as strings.\n",
  );
  await measure(
    {
      title: `Generated (${whole(EXPOSITION_SERIES)} series target, HELP/TYPE per family, 3–4 labels)`,
      text: generateExposition(EXPOSITION_SERIES),
    },
    dir,
  );
  const captured = await captureNodeExporter();
  if (captured.text === undefined) {
    console.log(`### prometheus-node-exporter /metrics: not measured (${captured.reason})\n`);
  } else {
    await measure({ title: 'prometheus-node-exporter /metrics, captured at run time', text: captured.text }, dir);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
