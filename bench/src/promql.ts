// Range-query latency of dashboard queries, Vigil against a real Prometheus (the Debian package)
// holding the same samples: each workload is written into a Vigil TSDB file, exported with
// `vigil export` and turned into Prometheus blocks with promtool; both servers then run in their own
// processes and answer the same `/api/v1/query_range` requests over loopback. The answers are
// compared point by point; a disagreement fails the run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './harness/rounds.js';
import { RELATIVE_TOLERANCE } from './promql/agreement.js';
import { measureQuery, type QueryTiming } from './promql/measure.js';
import { DASHBOARD_QUERIES, type DashboardQuery } from './promql/queries.js';
import { closeConnections } from './promql/query-client.js';
import type { ServerProcess } from './promql/server-process.js';
import {
  createBlocks,
  exportWithVigil,
  type PrometheusStorage,
  settledStorage,
  startPrometheus,
  startVigil,
} from './promql/servers.js';
import { STEP_MS, type Workload, type WorkloadSize, writeWorkload } from './promql/workload.js';

const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5);
/** Untimed requests to each server before a query's timed rounds. */
const WARMUPS = positiveInt(process.env.BENCH_PROMQL_WARMUPS, 3);
/** `<series>x<hours>h`, comma-separated. */
const SIZES = parseSizes(process.env.BENCH_PROMQL_WORKLOADS ?? '1000x24h,10000x6h');
/** Only the queries whose expression contains one of these comma-separated texts (all when unset). */
const QUERIES = selectQueries(process.env.BENCH_PROMQL_QUERIES);

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function parseSizes(text: string): WorkloadSize[] {
  return text.split(',').map((part) => {
    const m = /^(\d+)x(\d+)h$/.exec(part.trim());
    if (m === null) throw new Error(`BENCH_PROMQL_WORKLOADS: "${part}" is not <series>x<hours>h, e.g. 1000x24h`);
    return { series: Number(m[1]), hours: Number(m[2]) };
  });
}

function selectQueries(text: string | undefined): readonly DashboardQuery[] {
  if (text === undefined || text.trim() === '') return DASHBOARD_QUERIES;
  const parts = text.split(',').map((part) => part.trim());
  const chosen = DASHBOARD_QUERIES.filter((q) => parts.some((part) => q.expr.includes(part)));
  if (chosen.length === 0) throw new Error(`BENCH_PROMQL_QUERIES: no query contains any of ${JSON.stringify(parts)}`);
  return chosen;
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value >= 100 ? whole(value) : value.toFixed(1));
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A workload loaded into both servers. */
interface Loaded {
  workload: Workload;
  dir: string;
  exportBytes: number;
  /** How loading went, for the table's heading. */
  loading: string;
  vigil?: ServerProcess;
  prometheus?: ServerProcess;
  storage?: PrometheusStorage;
}

async function loadWorkload(root: string, size: WorkloadSize): Promise<Loaded> {
  const dir = join(root, `${size.series}x${size.hours}h`);
  const vigilDir = join(dir, 'vigil');
  mkdirSync(vigilDir, { recursive: true });
  let since = performance.now();
  const workload = writeWorkload(join(vigilDir, 'tsdb.db'), size);
  const written = seconds(since);
  since = performance.now();
  const file = join(dir, 'export.om');
  const exportBytes = await exportWithVigil(vigilDir, file);
  const exported = seconds(since);
  since = performance.now();
  await createBlocks(file, join(dir, 'prometheus', 'data'));
  rmSync(file);
  const loading =
    `generated and written to the Vigil TSDB in ${written}; \`vigil export\` ${(exportBytes / 1e6).toFixed(0)} MB ` +
    `in ${exported}; \`promtool tsdb create-blocks-from openmetrics\` in ${seconds(since)}`;
  console.error(`${dir}: ${loading}`);
  return { workload, dir, exportBytes, loading };
}

/** Query ranges for a workload: the last hour, and its whole history when longer. */
function rangesOf(workload: Workload): number[] {
  return workload.hours > 1 ? [1, workload.hours] : [1];
}

function printTable(loaded: Loaded, rows: { hours: number; name: string; expr: string; t: QueryTiming }[]): void {
  const { workload, storage } = loaded;
  console.log(
    `### ${whole(workload.series)} series × ${workload.hours} h at 15 s (${whole(workload.samples)} samples, ` +
      `${workload.targets} targets)\n`,
  );
  console.log(
    `Loading: ${loaded.loading}. Prometheus then held ${storage?.blocks} blocks ` +
      `(${storage?.compactions} compactions run before timing).\n`,
  );
  console.log(
    '| Range | Query | series × points | answer (MB) | Vigil median (ms) | Vigil min – max | Prometheus median (ms) | ' +
      'Prometheus min – max | Vigil / Prometheus | agree |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const { hours, name, expr, t } of rows) {
    const a = t.agreement;
    const agree =
      a.disagreements > 0
        ? `**NO: ${a.disagreements} differences**`
        : `yes (max rel. diff ${a.maxRelativeDiff.toExponential(1)}` +
          `${a.tieBreaks > 0 ? `; ties broken differently at ${a.tieBreaks} steps` : ''})`;
    const ratio = median(t.ratios);
    console.log(
      `| ${hours} h | ${name}: \`${expr.replaceAll('|', '\\|')}\` | ${whole(a.series)} × ${whole(a.series === 0 ? 0 : a.points / a.series)} | ` +
        `${(t.vigilBytes / 1e6).toFixed(1)} | ${ms(median(t.vigilMs))} | ${ms(Math.min(...t.vigilMs))} – ${ms(Math.max(...t.vigilMs))} | ` +
        `${ms(median(t.prometheusMs))} | ${ms(Math.min(...t.prometheusMs))} – ${ms(Math.max(...t.prometheusMs))} | ` +
        `${ratio.toFixed(2)}× ${ratio <= 1 ? '(met)' : '(not met)'} | ${agree} |`,
    );
  }
  console.log('');
}

function prometheusVersion(): string {
  return execFileSync('prometheus', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
}

const root = mkdtempSync(join(tmpdir(), 'vigil-bench-promql-'));
// Also on Ctrl-C, after the server processes are killed (their handler was installed first).
process.once('exit', () => rmSync(root, { recursive: true, force: true }));
const loadedAll: Loaded[] = [];
let disagreed = false;
try {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('## promql\n');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpu}); ${prometheusVersion()}. Both servers in their ` +
      `own processes on loopback, scraping nothing; the client in this process. Per query: ${WARMUPS} warm-up ` +
      `request(s) to each (the first answers compared, relative tolerance ${RELATIVE_TOLERANCE}), then ${ROUNDS} rounds alternating ` +
      'which server goes first; times are request to last byte of the uncompressed JSON answer; the ratio is the ' +
      `median of same-round ratios. Step ${STEP_MS / 1000} s.\n`,
  );
  const started = performance.now();
  for (const size of SIZES) loadedAll.push(await loadWorkload(root, size));
  for (const loaded of loadedAll) {
    loaded.vigil = await startVigil(join(loaded.dir, 'vigil'));
    loaded.prometheus = await startPrometheus(join(loaded.dir, 'prometheus', 'data'));
  }
  const storages = await Promise.all(loadedAll.map((l) => settledStorage(l.prometheus!)));
  loadedAll.forEach((l, i) => {
    l.storage = storages[i];
  });
  console.error(`loaded and started in ${seconds(started)}; load average ${load()}`);
  for (const loaded of loadedAll) {
    const rows: { hours: number; name: string; expr: string; t: QueryTiming }[] = [];
    const loadBefore = load();
    for (const hours of rangesOf(loaded.workload)) {
      for (const q of QUERIES) {
        const query = {
          expr: q.expr,
          startMs: loaded.workload.endMs - hours * 3_600_000,
          endMs: loaded.workload.endMs,
          stepMs: STEP_MS,
        };
        const t = await measureQuery(loaded.vigil!.url, loaded.prometheus!.url, query, ROUNDS, q.ranked, WARMUPS);
        rows.push({ hours, name: q.name, expr: q.expr, t });
        if (t.agreement.disagreements > 0) {
          disagreed = true;
          console.error(`DISAGREEMENT on ${q.expr} over ${hours} h:\n  ${t.agreement.problems.join('\n  ')}`);
        }
      }
    }
    printTable(loaded, rows);
    console.log(`Load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}.\n`);
  }
  console.error(`whole run: ${seconds(started)}`);
} finally {
  closeConnections();
  for (const loaded of loadedAll) {
    await loaded.vigil?.stop();
    await loaded.prometheus?.stop();
  }
  rmSync(root, { recursive: true, force: true });
}
if (disagreed) {
  console.error('Vigil and Prometheus disagreed: see above. This is an engine bug until shown otherwise.');
  process.exit(1);
}
