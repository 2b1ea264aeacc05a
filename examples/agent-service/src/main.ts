// The demo agent as a process: `node dist/src/main.js`, configured by PORT, HOST, SEED and DAILY_BUDGET_USD.
import { createLogger, type Logger } from '@vigil/sdk';
import { createHealth, createShutdown, TurnPool } from '@vigil/sdk/health';
import { buildApp, DEMO_LOG_LEVEL, VERSION } from './app.js';
import { seededRandom } from './random.js';

// In-flight turns get this long to finish once a shutdown starts.
const SHUTDOWN_GRACE_MS = 10_000;

// PORT: an integer from 0 to 65535, default 8000.
function parsePort(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 8000;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535 (got "${text}")`);
  }
  return port;
}

// SEED: an integer that makes every simulated draw reproducible; unset means Math.random.
function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\d+$/.test(text.trim())) throw new Error(`SEED must be a non-negative integer (got "${text}")`);
  return Number(text);
}

// DAILY_BUDGET_USD: a positive number of dollars, default that of buildApp.
function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const usd = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(usd > 0)) {
    throw new Error(`DAILY_BUDGET_USD must be a positive number of US dollars, e.g. 5 or 0.25 (got "${text}")`);
  }
  return usd;
}

async function main(): Promise<void> {
  let log: Logger;
  try {
    log = createLogger({ service: 'agent-service', level: DEMO_LOG_LEVEL });
  } catch (error) {
    // A bad VIGIL_LOG or a missing pino-pretty: there is no logger to say it with.
    process.stderr.write(`agent-service: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const host = process.env.HOST || '0.0.0.0';
  let port: number;
  let seed: number | undefined;
  let dailyBudgetUsd: number | undefined;
  try {
    port = parsePort(process.env.PORT);
    seed = parseSeed(process.env.SEED);
    dailyBudgetUsd = parseBudget(process.env.DAILY_BUDGET_USD);
  } catch (error) {
    log.critical((error as Error).message);
    process.exitCode = 1;
    return;
  }
  const pool = new TurnPool({ maxWorkers: 16, maxQueue: 64 });
  const health = createHealth({ service: 'agent-service', version: VERSION, pool });
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({
      logger: log,
      health,
      pool,
      ...(seed === undefined ? {} : { random: seededRandom(seed) }),
      ...(dailyBudgetUsd === undefined ? {} : { dailyBudgetUsd }),
    });
  } catch (error) {
    log.critical({ err: error }, 'the agent service could not start');
    process.exitCode = 1;
    return;
  }
  try {
    await app.listen({ port, host });
  } catch (error) {
    log.critical({ port, host }, listenProblem(error, port, host));
    process.exitCode = 1;
    await app.close();
    await app.recorder.close();
    return;
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${bound}`;
  log.event(
    'system.startup',
    { port: bound, host, pid: process.pid, node: process.version },
    `agent service on ${url}`,
  );

  // SIGTERM/SIGINT: /readyz answers 503 draining at once, in-flight turns get the grace period,
  // then Fastify's own close hooks run, then the recorder delivers the invocation rows it still
  // holds (hooks run newest first), and the process exits 0; a second signal exits at once.
  createShutdown({ health, logger: log, graceMs: SHUTDOWN_GRACE_MS })
    .addServer(app.server)
    // An event stream stays open until its client leaves: end streams as draining begins.
    .onDrain('session streams', () => app.sessionStream.close())
    .onClose('recorder', () => app.recorder.close())
    .onClose('fastify', () => app.close())
    .install();
}

function listenProblem(error: unknown, port: number, host: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${port} is already in use on ${host}: stop what uses it or set PORT`;
  if (code === 'EACCES') return `no permission to listen on port ${port}: use a port above 1023 or set PORT`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `HOST ${host} is not an address of this machine`;
  return `cannot listen on ${host}:${port}: ${(error as Error).message}`;
}

await main();
