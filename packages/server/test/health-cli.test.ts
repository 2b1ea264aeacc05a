import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AdminAuth, createHealth, EventLoopMonitor, type Health, probeRoutes } from '@vigil/sdk/health';
import { probes } from '@vigil/sdk/http';
import { runCli } from '../src/index.js';

const TOKEN = 'cli-test-admin-token';
const BIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

async function serve(health: Health): Promise<{ server: Server; url: string }> {
  const server = createServer(probes(probeRoutes({ health, auth: new AdminAuth({ tokens: [TOKEN] }) })));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    colour: false,
  });
  return { code, stdout, stderr };
}

describe('vigil health <url>', () => {
  const states = { vault: 'ok' as 'ok' | 'down', channel: 'ok' as 'ok' | 'degraded' };
  let url = '';
  let server: Server;
  before(async () => {
    const health = createHealth({
      service: 'demo-agent',
      version: '9.9.9',
      cacheMs: 0,
      eventLoop: new EventLoopMonitor(),
    });
    health.check('vault', () => states.vault, { kind: 'vault', critical: true });
    health.check('discord', () => states.channel, { kind: 'channel' });
    ({ server, url } = await serve(health));
  });
  after(() => server.close());

  test('prints the health as a table and exits 0 when ok', async () => {
    const { code, stdout } = await cli(['health', url, '--token', TOKEN]);
    assert.equal(code, 0);
    assert.match(stdout, /^demo-agent 9\.9\.9$/m);
    assert.match(stdout, /^status\s+ok$/m);
    assert.match(stdout, /^COMPONENT\s+KIND\s+CRITICAL\s+STATUS/m);
    assert.match(stdout, /^vault\s+vault\s+yes\s+ok/m);
    assert.match(stdout, /^discord\s+channel\s+no\s+ok/m);
  });

  test('exits 1 when degraded and 2 when down, saying why', async () => {
    states.channel = 'degraded';
    let run = await cli(['health', url], { VIGIL_ADMIN_TOKEN: TOKEN });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /component discord is degraded/);
    states.vault = 'down';
    run = await cli(['health', `${url}/health`, '--token', TOKEN, '--json']);
    assert.equal(run.code, 2);
    assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'down');
    states.vault = 'ok';
    states.channel = 'ok';
  });

  test('an unreachable service counts as down (exit 2)', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    const { code, stderr } = await cli(['health', `127.0.0.1:${port}`, '--token', TOKEN]);
    assert.equal(code, 2);
    assert.match(stderr, /connection refused \[VIGIL_UNREACHABLE\]/);
  });

  test('a refused token, a bad URL or a bad timeout exit 3 with the reason and no secret', async () => {
    let run = await cli(['health', url, '--token', 'wrong-token-value']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /401 — pass an admin token/);
    assert.ok(!run.stderr.includes('wrong-token-value'));
    run = await cli(['health', 'ftp://x']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /only http and https/);
    run = await cli(['health', url, '--timeout', 'soon']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /--timeout must be a positive integer/);
  });

  test('the installed bin runs as a real process with the same exit codes', async () => {
    const run = await promisify(execFile)(process.execPath, [BIN, 'health', url, '--token', TOKEN]);
    assert.match(run.stdout, /status\s+ok/);
    await assert.rejects(promisify(execFile)(process.execPath, [BIN, 'health', url, '--token', 'nope-nope']), {
      code: 3,
    });
  });
});

test('every server error code is documented in docs/errors.md', async () => {
  const { readFileSync } = await import('node:fs');
  const { SERVER_ERROR_CODES } = await import('../src/index.js');
  const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
  for (const code of Object.keys(SERVER_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
});
