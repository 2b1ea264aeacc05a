// `npm start`: runs the Vigil service, the demo agent and a load generator against it, until Ctrl-C.
// Each process is one entry of `children`, started in order, each waiting for the one before to be ready.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const AGENT_PORT = 8000;
const agentUrl = `http://127.0.0.1:${AGENT_PORT}`;
const VIGIL_PORT = Number(process.env.VIGIL_PORT || 8015);
const vigilUrl = `http://127.0.0.1:${VIGIL_PORT}`;
const READY_TIMEOUT_MS = 15_000;

const env = { ...process.env };
if (process.stdout.isTTY && env.VIGIL_LOG_FORMAT === undefined) env.VIGIL_LOG_FORMAT = 'pretty';
// Admin routes (/health, /admin/*) need a token: make one for this run unless one is set.
const madeToken = env.VIGIL_ADMIN_TOKEN === undefined;
if (madeToken) env.VIGIL_ADMIN_TOKEN = randomBytes(18).toString('base64url');

/** @type {{ name: string, script: string, args?: string[], env?: Record<string, string>, readyUrl?: string }[]} */
const children = [
  {
    name: 'vigil',
    script: 'packages/server/dist/src/cli/main.js',
    args: ['serve'],
    // Without a vigil.yaml (VIGIL_CONFIG), scrape the demo agent and the service itself every 15 s.
    env: {
      VIGIL_PORT: String(VIGIL_PORT),
      ...(env.VIGIL_CONFIG
        ? {}
        : { SCRAPE_TARGETS: env.SCRAPE_TARGETS ?? `localhost:${AGENT_PORT},localhost:${VIGIL_PORT}` }),
      SCRAPE_INTERVAL_SECONDS: env.SCRAPE_INTERVAL_SECONDS ?? '15',
    },
    readyUrl: `${vigilUrl}/readyz`,
  },
  {
    name: 'agent',
    script: 'examples/agent-service/dist/src/main.js',
    // Invocation rows go to the service (the SDK's default sink when VIGIL_URL is set).
    env: { PORT: String(AGENT_PORT), VIGIL_URL: vigilUrl },
    readyUrl: `${agentUrl}/readyz`,
  },
  { name: 'load', script: 'examples/agent-service/dist/src/load.js', args: ['--target', agentUrl] },
];

for (const child of children) {
  if (!existsSync(new URL(child.script, `file://${root}`))) {
    console.error(`start: ${child.script} is missing; run \`npm run build\` first (npm start does)`);
    process.exit(1);
  }
}

const running = new Map();
let stopping = false;
let exitCode = 0;

// Children get their own process group: Ctrl-C then reaches them once, forwarded from here,
// instead of twice (the terminal signals the whole foreground group), which would skip draining.
function launch(spec) {
  const child = spawn(process.execPath, [spec.script, ...(spec.args ?? [])], {
    cwd: root,
    env: { ...env, ...spec.env },
    stdio: 'inherit',
    detached: true,
  });
  running.set(spec.name, child);
  child.on('exit', (code, signal) => {
    running.delete(spec.name);
    if (!stopping) {
      console.error(`start: ${spec.name} exited (${signal ?? `code ${code}`}); stopping the others`);
      exitCode = code || 1;
      stopAll('SIGTERM');
    } else if (code) {
      exitCode ||= code;
    }
    if (running.size === 0) process.exit(exitCode);
  });
  return child;
}

function stopAll(signal) {
  stopping = true;
  for (const child of running.values()) child.kill(signal);
}

async function waitUntilReady(url, name) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.error(`start: ${name} was not ready at ${url} after ${READY_TIMEOUT_MS / 1000} s; stopping`);
  exitCode = 1;
  stopAll('SIGTERM');
  return false;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
// If this process dies some other way, do not leave the children running.
process.on('exit', () => {
  for (const child of running.values()) child.kill('SIGTERM');
});

for (const spec of children) {
  launch(spec);
  if (spec.readyUrl !== undefined && !(await waitUntilReady(spec.readyUrl, spec.name))) break;
}
if (!stopping) {
  console.log(
    `Vigil on http://localhost:${VIGIL_PORT} (try: npx vigil query up), demo agent on http://localhost:${AGENT_PORT} with load running (Ctrl-C stops everything)`,
  );
  if (madeToken)
    console.log(`Admin token for this run: ${env.VIGIL_ADMIN_TOKEN} (set VIGIL_ADMIN_TOKEN to choose your own)`);
}
