// The real `vigil serve`, in-process, scraping the demo agent (examples/agent-service) every second: the agent's
// turns, metrics, sessions and /health; its log lines shipped to the service's NDJSON ingest, as `vigil tail` does.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@vigil/sdk';
import { freePort } from '@vigil/test-peers';
import { XSS_VALUE } from './demo-workload.js';

/** The admin token of the service and the agent (one token for the fleet, as `npm start` sets it up). */
export const FLEET_TOKEN = 'real-service-test-token';
const AGENT_MAIN = fileURLToPath(new URL('../../../../../examples/agent-service/dist/src/main.js', import.meta.url));
const WAIT_MS = 15_000;

/** What this test uses of `@vigil/server`'s `startService`. */
interface RunningService {
  url: string;
  stop(): Promise<void>;
}
type StartService = (options: {
  env: Record<string, string>;
  logger: ReturnType<typeof createLogger>;
}) => Promise<RunningService>;

/**
 * `@vigil/server` serves this package, so its project references this one: a reference back would be a cycle
 * for `tsc -b`. It is imported at run time (built by then) through a name tsc does not follow.
 */
async function loadStartService(): Promise<StartService> {
  const name = '@vigil/server';
  return ((await import(name)) as { startService: StartService }).startService;
}

/** The running service and agent. */
export interface ServiceStack {
  url: string;
  agentUrl: string;
  running: RunningService;
  stop(): Promise<void>;
}

/**
 * Starts the agent and the service (sharing the data directory, so the agent's invocation rows land in the
 * service's record store), sends a few agent turns, ships the agent's log lines and a few audit events, and
 * waits until the service has scraped the agent after the turns.
 */
export async function startServiceStack(): Promise<ServiceStack> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboard-service-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
  };
  try {
    const [agentPort, servicePort] = [await freePort(), await freePort()];
    const agentUrl = `http://127.0.0.1:${agentPort}`;
    const startService = await loadStartService();
    const running = await startService({
      env: {
        VIGIL_PORT: String(servicePort),
        VIGIL_DATA_DIR: dir,
        VIGIL_ADMIN_TOKEN: FLEET_TOKEN,
        SCRAPE_TARGETS: `127.0.0.1:${agentPort},127.0.0.1:${servicePort}`,
        SCRAPE_INTERVAL_SECONDS: '1',
      },
      logger: createLogger({ service: 'vigil', level: 'critical', destination: { write() {} } }),
    });
    stops.push(() => running.stop());
    const url = `http://127.0.0.1:${servicePort}`;
    const lines: string[] = [];
    const agent = startAgent(agentPort, dir, lines);
    stops.push(() => stopAgent(agent));
    await waitFor(async () => (await fetch(`${agentUrl}/healthz`).catch(() => undefined))?.ok === true, 'agent up');

    const send = (session: string, text: string) =>
      fetch(`${agentUrl}/v1/sessions/${session}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': 'user-1' },
        body: JSON.stringify({ text }),
      }).then((res) => res.arrayBuffer());
    const texts = ['what is the weather in Oslo?', 'search the docs for retries', 'compute 17 * 23'];
    // A session takes one turn at a time: its messages in turn, the sessions side by side.
    await Promise.all(
      ['s-1', 's-2', 's-3'].map(async (s) => {
        for (const t of texts) await send(s, t);
      }),
    );

    const auth = { authorization: `Bearer ${FLEET_TOKEN}` };
    await post(
      `${url}/api/vigil/ingest/logs`,
      { ...auth, 'content-type': 'application/x-ndjson' },
      [
        ...lines,
        JSON.stringify({
          level: 'error',
          time: Date.now(),
          service: 'triage-agent',
          module: 'llm',
          event: 'llm.call.failed',
          correlation_id: 'req-xss',
          msg: `tool returned ${XSS_VALUE}`,
          err: {
            type: 'RateLimitError',
            message: '429 Too Many Requests',
            stack: 'RateLimitError: 429\n    at callModel (llm/client.ts:88:11)',
          },
        }),
      ].join('\n'),
    );
    const now = Date.now();
    await post(
      `${url}/api/vigil/ingest/audit`,
      { ...auth, 'content-type': 'application/json' },
      JSON.stringify({
        audit: Array.from({ length: 6 }, (_, i) => ({
          id: `audit-${i}`,
          ts: new Date(now - (6 - i) * 60_000).toISOString(),
          event_type: ['auth.login', 'token.revoked', 'gate.denied'][i % 3],
          actor_user_id: `user-${i % 2}`,
          target_app_id: 'support',
          success: i % 3 !== 2,
          details: { note: i === 4 ? XSS_VALUE : 'ok' },
        })),
      }),
    );
    // Two scrape rounds after the turns, so rates over them have two points.
    const scraped = (await scrapeCount(url)) + 2;
    await waitFor(async () => (await scrapeCount(url)) >= scraped, 'two scrapes after the turns');
    return { url, agentUrl, running, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startAgent(port: number, dataDir: string, lines: string[]): ChildProcess {
  const child = spawn(process.execPath, [AGENT_MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED: '7',
      VIGIL_DATA_DIR: dataDir,
      VIGIL_ADMIN_TOKEN: FLEET_TOKEN,
      VIGIL_LOG: 'info',
      VIGIL_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    lines.push(...parts.filter((line) => line !== ''));
  });
  return child;
}

async function stopAgent(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers, body });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

/** Scrapes of the agent so far, from the service's own `up` series. */
async function scrapeCount(url: string): Promise<number> {
  const query = encodeURIComponent('count_over_time(up[1h])');
  const res = await fetch(`${url}/api/v1/query?query=${query}`, {
    headers: { authorization: `Bearer ${FLEET_TOKEN}` },
  });
  const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
  const counts = (body.data?.result ?? []).map((r) => Number(r.value[1]));
  return counts.length === 0 ? 0 : Math.min(...counts);
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
