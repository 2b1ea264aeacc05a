// Log lines per second of Vigil's logger with request context, against raw pino and winston.
// Every logger writes the same typical line to the same kind of sink, which discards it:
// only the logger's own cost is measured. Each case runs in its own process; this one
// drives them in interleaved rounds and prints the tables. See bench/README.md.
import { availableParallelism, cpus } from 'node:os';
import { CaseProcess } from './harness/case-process.js';
import { type CaseResult, median, pairedRatio, runRounds } from './harness/rounds.js';
import { LINES_PER_REQUEST, LOGGING_CASES, type Table } from './logging/cases.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 7);
const TARGET_MS = positiveInt(process.env.BENCH_TARGET_MS, 300);

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const caseOf = (id: string) => LOGGING_CASES.find((c) => c.id === id)!;

function row(result: CaseResult, ...extra: string[]): string {
  const spread = `${rate(Math.min(...result.rates))} – ${rate(Math.max(...result.rates))}`;
  return `| ${caseOf(result.id).label} | ${rate(median(result.rates))} | ${spread} | ${extra.join(' | ')} |`;
}

function printTables(results: CaseResult[], bytesPerLine: Map<string, number>): void {
  const byId = (id: string) => results.find((r) => r.id === id)!;
  const inTable = (table: Table) => results.filter((r) => caseOf(r.id).table === table);
  const raw = byId('pino');
  const shaped = byId('pino-shaped');

  console.log('One request, many lines (context set once):\n');
  console.log('| Case | lines/s | min – max | bytes/line | vs pino defaults | vs pino, Vigil shape |');
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const r of inTable('one-request')) {
    const bytes = String(Math.round(bytesPerLine.get(r.id) ?? 0));
    console.log(row(r, bytes, percent(pairedRatio(r, raw)), percent(pairedRatio(r, shaped))));
  }

  const pinoPerRequest = byId('pino-per-request');
  console.log(`\nA new request every ${LINES_PER_REQUEST} lines (the request's fields set up each time):\n`);
  console.log('| Case | lines/s | min – max | vs pino child per request |');
  console.log('|---|--:|--:|--:|');
  for (const r of inTable('per-request')) console.log(row(r, percent(pairedRatio(r, pinoPerRequest))));

  const pinoOff = byId('pino-off');
  console.log('\nA disabled level:\n');
  console.log('| Case | calls/s | min – max | vs pino |');
  console.log('|---|--:|--:|--:|');
  for (const r of inTable('disabled')) console.log(row(r, percent(pairedRatio(r, pinoOff))));

  const headline = byId('vigil-context');
  const verdict = (ratio: number) => `${percent(ratio)} (${ratio >= 0.9 ? 'met' : 'not met'})`;
  console.log(
    `\nGoal, Vigil with context ≥ 90% of pino: ${verdict(pairedRatio(headline, raw))} of pino defaults, ` +
      `${verdict(pairedRatio(headline, shaped))} of pino with Vigil's line shape.`,
  );
}

const script = new URL('./logging/case-main.js', import.meta.url);
const processes = LOGGING_CASES.map((c) => new CaseProcess(script, c.id));
try {
  const results = await runRounds(processes, { rounds: ROUNDS, targetMs: TARGET_MS });
  const bytesPerLine = new Map(processes.map((p) => [p.id, p.report.bytesPerLine ?? 0]));
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## logging\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}). Each case in its own process; ` +
      `${ROUNDS} interleaved rounds after a discarded warm-up, ~${TARGET_MS} ms per case per round, gc before each run. ` +
      'lines/s is the median over rounds; ratios are medians of same-round ratios.\n',
  );
  printTables(results, bytesPerLine);
} finally {
  for (const p of processes) p.close();
}
