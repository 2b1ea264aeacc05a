import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/shutdown-app.js', import.meta.url));

interface Running {
  child: ChildProcess;
  port: number;
  lines: Array<Record<string, unknown>>;
  exit: Promise<number | null>;
}

async function startFixture(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl !== -1) {
      lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  });
  // 'close', not 'exit': it comes once stdout is fully read, so every line is in `lines`.
  const exit = once(child, 'close').then(([code]) => code as number | null);
  await until(() => lines.some((line) => line.msg === 'listening'), 'the fixture to listen');
  const port = lines.find((line) => line.msg === 'listening')!.port as number;
  return { child, port, lines, exit };
}

/** One GET on a fresh connection: status and body, or the connection error code. */
function get(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  for (let waited = 0; waited < ms && !condition(); waited += 20) await sleep(20);
  assert.ok(condition(), `timed out waiting for ${what}`);
}

describe('graceful shutdown on real signals', () => {
  test('SIGTERM: readyz says draining at once, in-flight requests finish, new connections are refused, hooks run, exit 0', async () => {
    // Generous times: the machine is shared, and the checks below must fit inside the drain delay.
    const app = await startFixture({ DRAIN_MS: '1500', SLOW_MS: '3000', GRACE_MS: '8000' });
    const slow = get(app.port, '/slow');
    await until(() => app.lines.some((line) => line.msg === 'slow request started'), 'the slow request');
    app.child.kill('SIGTERM');
    await until(() => app.lines.some((line) => line.phase === 'draining'), 'draining');
    assert.deepEqual(await get(app.port, '/readyz'), { status: 503, body: '{"status":"draining"}' });
    assert.deepEqual(await get(app.port, '/healthz'), { status: 200, body: '{"status":"alive"}' });
    let refused: Awaited<ReturnType<typeof get>> | undefined;
    for (let tries = 0; tries < 60; tries++) {
      refused = await get(app.port, '/healthz'); // past the drain delay the listener is closed
      if ('error' in refused) break;
      await sleep(100);
    }
    assert.deepEqual(refused, { error: 'ECONNREFUSED' });
    assert.deepEqual(await slow, { status: 200, body: 'done' });
    assert.equal(await app.exit, 0);
    const messages = app.lines.map((line) => line.msg);
    assert.ok(messages.includes('close hook ran'));
    const drained = messages.indexOf('drain hook ran');
    assert.ok(drained > messages.indexOf('slow request started'), 'the drain hook runs once the signal came');
    assert.ok(drained < messages.indexOf('close hook ran'), 'and before the close hooks');
    const done = app.lines.findIndex((line) => line.phase === 'done');
    assert.ok(done !== -1, `no 'done' line; last lines: ${JSON.stringify(app.lines.slice(-3))}`);
    assert.deepEqual(
      app.lines.slice(done + 1).map((line) => line.msg),
      [],
      'nothing is logged after shutdown is done',
    );
  });

  test('a request still running after the grace period is cut, and the process still exits 0', async () => {
    const app = await startFixture({ SLOW_MS: '10000', GRACE_MS: '200' });
    const slow = get(app.port, '/slow');
    await until(() => app.lines.some((line) => line.msg === 'slow request started'), 'the slow request');
    app.child.kill('SIGTERM');
    assert.ok('error' in (await slow), 'the cut request fails on the client');
    assert.equal(await app.exit, 0);
    assert.ok(app.lines.some((line) => line.msg === 'grace period over: cut 1 connection(s)'));
  });

  test('a second signal forces exit while a close hook hangs', async () => {
    const app = await startFixture({ HANG_HOOK: '1' });
    app.child.kill('SIGTERM');
    await until(() => app.lines.some((line) => line.phase === 'draining'), 'draining');
    await sleep(200); // the hanging hook (added last, so run first) is now holding shutdown
    app.child.kill('SIGINT');
    assert.equal(await app.exit, 1);
    assert.equal(app.lines.at(-1)!.phase, 'forced');
    assert.ok(!app.lines.some((line) => line.msg === 'close hook ran'), 'shutdown never got past the hanging hook');
  });
});

test('a close hook that hangs is given up on after its timeout, and the process exits 0', async () => {
  const app = await startFixture({ HANG_HOOK: '1', HOOK_TIMEOUT_MS: '200' });
  app.child.kill('SIGTERM');
  assert.equal(await app.exit, 0);
  const failed = app.lines.find((line) => line.hook === 'hangs');
  assert.match(String((failed?.err as { message?: string })?.message), /did not finish within 200 ms/);
  assert.ok(
    app.lines.some((line) => line.msg === 'close hook ran'),
    'the next hook still runs',
  );
});
