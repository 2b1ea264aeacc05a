import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort, type RunningPeer, startPrometheus } from '@vigil/test-peers';
import { runCli } from '../src/index.js';
import { cliTime } from '../src/query/query-command.js';

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), colour: false });
  return { code, stdout, stderr };
}

// `vigil query` speaks the Prometheus HTTP API, so a real Prometheus (Debian package) answers it here.
describe('vigil query against a real Prometheus', () => {
  let prometheus: RunningPeer;
  let port = 0;
  before(async () => {
    port = await freePort();
    prometheus = await startPrometheus(
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
      port,
    );
    // Until the first scrape of itself lands (a real process on its own schedule; bounded).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=up`);
      const body = (await res.json()) as { data: { result: unknown[] } };
      if (body.data.result.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  after(() => prometheus?.stop());

  test('an instant query prints a table of series, values and times', async () => {
    const { code, stdout, stderr } = await cli(['query', 'up', '--url', prometheus.url]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^SERIES\s+VALUE\s+TIME$/);
    assert.match(lines[1]!, new RegExp(`^up\\{instance="127\\.0\\.0\\.1:${port}", job="self"\\}\\s+1\\s+\\d{4}-`));
  });

  test('--json prints the API data; a range query prints each series with its points', async () => {
    const json = await cli(['query', 'up', '--url', prometheus.url, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const data = JSON.parse(json.stdout) as { resultType: string; result: { metric: Record<string, string> }[] };
    assert.equal(data.resultType, 'vector');
    assert.equal(data.result[0]?.metric.job, 'self');
    const range = await cli(['query', 'up', '--url', prometheus.url, '--start', '-10s', '--step', '1s']);
    assert.equal(range.code, 0, range.stderr);
    assert.match(range.stdout, /^up\{instance=.*\}\n( {2}\d{4}-\S+ {2}1\n)+/);
  });

  test('a bad expression is the service error, exit 3', async () => {
    const { code, stderr } = await cli(['query', 'sum(up', '--url', prometheus.url]);
    assert.equal(code, 3);
    assert.match(stderr, /^vigil: bad_data: .*parse error.* \[VIGIL_QUERY_REJECTED\]\n$/);
  });
});

describe('vigil query: bad arguments and an absent service', () => {
  test('bad times and steps name the flag', async () => {
    const start = await cli(['query', 'up', '--url', 'http://127.0.0.1:1', '--start', 'yesterday']);
    assert.equal(start.code, 3);
    assert.match(start.stderr, /--start "yesterday": expected now, a relative time/);
    const step = await cli(['query', 'up', '--url', 'http://127.0.0.1:1', '--step', 'often']);
    assert.match(step.stderr, /--step "often": expected seconds or a duration/);
    const timeout = await cli(['query', 'up', '--timeout', '0']);
    assert.match(timeout.stderr, /--timeout must be a positive integer/);
  });

  test('no service: connection refused, exit 3', async () => {
    const port = await freePort();
    const { code, stderr } = await cli(['query', 'up'], { VIGIL_PORT: String(port) });
    assert.equal(code, 3);
    assert.match(stderr, new RegExp(`127\\.0\\.0\\.1:${port}|localhost:${port}`));
    assert.match(stderr, /connection refused.*\[VIGIL_UNREACHABLE\]/);
  });

  test('times: now, relative, Unix seconds, RFC 3339', () => {
    const now = 1_700_000_000_000;
    assert.equal(cliTime('now', '--time', now), now);
    assert.equal(cliTime('-5m', '--time', now), now - 300_000);
    assert.equal(cliTime('now-1h', '--time', now), now - 3_600_000);
    assert.equal(cliTime('1600000000.5', '--time', now), 1_600_000_000_500);
    assert.equal(cliTime('2023-11-14T22:13:20Z', '--time', now), now);
  });
});
