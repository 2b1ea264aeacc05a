// Requests per second of a node:http hello world, bare and under Vigil's HTTP middleware,
// against express-prom-bundle (on Express) and OpenTelemetry's instrumentation-http. Each
// server runs alone in a child process; autocannon drives it from this process over loopback.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { SERVER_CASES, type ServerCase } from './http/cases.js';
import { drive, type LoadOptions } from './http/load.js';
import { type CaseRuns, type Measurement, renderGoal, renderTable } from './http/report.js';
import { ServerProcess } from './http/server-process.js';

const RUNS = positiveInt(process.env.BENCH_HTTP_RUNS, 3);
const WARMUP_SECONDS = positiveInt(process.env.BENCH_HTTP_WARMUP, 1);
const LOAD: LoadOptions = {
  connections: positiveInt(process.env.BENCH_HTTP_CONNECTIONS, 50),
  durationSeconds: positiveInt(process.env.BENCH_HTTP_DURATION, 5),
};
// `BENCH_HTTP_CPU_PROF=<dir>` profiles every server child (node --cpu-prof) into dir.
const SERVER_EXEC_ARGV = process.env.BENCH_HTTP_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HTTP_CPU_PROF}`]
  : [];

const cases = selectCases(process.env.BENCH_HTTP_CASES);
// Other work on a shared machine moves every figure: the load average around the runs says how much there was.
const loadBefore = loadavg()[0]!;
const results: CaseRuns[] = cases.map((c) => ({ case: c, runs: [] }));

for (let run = 0; run < RUNS; run++) {
  // Results stay in run order per case; only the order cases start in rotates, so no case
  // always runs right after the same neighbour.
  for (let i = 0; i < cases.length; i++) {
    const result = results[(i + run) % cases.length]!;
    const measured = await measure(result.case);
    result.runs.push(measured);
    console.error(
      `run ${run + 1}/${RUNS} ${result.case.id}: ${Math.round(measured.requestsPerSecond)} req/s, ` +
        `p99 ${measured.p99Ms} ms, ${measured.cpuMicrosPerRequest.toFixed(1)} µs CPU/request`,
    );
  }
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`## HTTP middleware: requests/s of a node:http hello world

node ${process.version}, ${availableParallelism()} × ${cpu}. Medians of ${RUNS} runs; each run starts every server in its
own child process, one at a time, and drives \`GET /hello\` over loopback with autocannon (${LOAD.connections} connections,
${LOAD.durationSeconds} s after a ${WARMUP_SECONDS} s warm-up) from the benchmark's process. Server and load generator share
the machine's CPUs: req/s is what the server does while autocannon holds a core, and a server below ~100% busy was
paced by the load generator, not by its own cost. Server CPU per request is the child's own CPU time divided by the
requests it answered, the cost whoever set the pace. Ratios and differences are taken per run, then the median.
1-minute load average: ${loadBefore.toFixed(2)} before the runs, ${loadavg()[0]!.toFixed(2)} after.
`);
console.log(renderTable(results));
console.log('');
console.log(renderGoal(results));

async function measure(serverCase: ServerCase): Promise<Measurement> {
  const server = await ServerProcess.start(serverCase.entry, serverCase.args, SERVER_EXEC_ARGV);
  try {
    const url = `http://127.0.0.1:${server.port}/hello`;
    await drive(url, { ...LOAD, durationSeconds: WARMUP_SECONDS });
    const before = await server.stats();
    const started = performance.now();
    const load = await drive(url, LOAD);
    const wallMicros = (performance.now() - started) * 1000;
    const after = await server.stats();
    for (const instrument of serverCase.instruments) {
      const counted = after.counts[instrument] ?? 0;
      // A few requests may still be closing when the stats are read; a silent no-op would count none.
      if (counted < after.requests * 0.99) {
        throw new Error(`${serverCase.id}: ${instrument} counted ${counted} of ${after.requests} requests`);
      }
    }
    const answered = after.requests - before.requests;
    return {
      requestsPerSecond: load.requestsPerSecond,
      p99Ms: load.p99Ms,
      cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / answered,
      serverBusy: (after.cpuMicros - before.cpuMicros) / wallMicros,
    };
  } finally {
    await server.stop();
  }
}

function selectCases(list: string | undefined): ServerCase[] {
  if (!list) return [...SERVER_CASES];
  const ids = list.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !SERVER_CASES.some((c) => c.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_HTTP_CASES: unknown ${unknown.join(', ')}; known: ${SERVER_CASES.map((c) => c.id).join(', ')}`,
    );
  }
  return SERVER_CASES.filter((c) => ids.includes(c.id));
}

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}
