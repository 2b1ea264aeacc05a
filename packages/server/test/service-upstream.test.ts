import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { freePort, type RunningPeer, startPrometheus } from '@vigil/test-peers';
import { type RunningService, startService } from '../src/service/serve.js';

const quiet = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// With vigil.upstream_prometheus the query API and the rules read a real Prometheus (Debian package)
// instead of the embedded store: Vigil scrapes nothing here, yet answers and alerts on Prometheus's data.
describe('vigil serve with an upstream Prometheus', () => {
  let prometheus: RunningPeer;
  let running: RunningService;
  let dir = '';
  before(async () => {
    const port = await freePort();
    prometheus = await startPrometheus(
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
      port,
    );
    dir = mkdtempSync(join(tmpdir(), 'vigil-upstream-'));
    writeFileSync(
      join(dir, 'rules.yml'),
      'groups:\n  - name: upstream\n    interval: 1s\n    rules:\n      - alert: PrometheusUp\n        expr: up{job="prometheus"} == 1\n',
    );
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `rule_files: [rules.yml]\nvigil:\n  upstream_prometheus: ${prometheus.url}\n`,
    );
    running = await startService({
      env: { VIGIL_CONFIG: join(dir, 'vigil.yaml'), VIGIL_PORT: '0', VIGIL_DATA_DIR: join(dir, 'data') },
      logger: quiet(),
    });
  });
  after(async () => {
    await running?.stop();
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("queries and label lookups are the upstream's answers", async () => {
    const up = await until(async () => {
      const body = (await (await fetch(`${running.url}/api/v1/query?query=up`)).json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result.length > 0 ? body.data.result : undefined;
    }, "Prometheus's first scrape of itself");
    assert.equal(up[0]!.metric.job, 'prometheus');
    const jobs = (await (await fetch(`${running.url}/api/v1/label/job/values`)).json()) as { data: string[] };
    assert.deepEqual(jobs.data, ['prometheus']);
    const post = await fetch(`${running.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=sum(up)',
    });
    assert.equal(((await post.json()) as { data: { result: [number, string][] } }).data.result.length, 1);
  });

  test('rules evaluate against the upstream and fire', async () => {
    const alert = await until(async () => {
      const body = (await (await fetch(`${running.url}/api/v1/alerts`)).json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      return body.data.alerts.find((a) => a.labels.alertname === 'PrometheusUp' && a.state === 'firing');
    }, 'the alert to fire');
    assert.equal(alert.labels.job, 'prometheus');
  });
});

test('an upstream that is down answers 503 unavailable, naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-upstream-'));
  const gone = `http://127.0.0.1:${await freePort()}`;
  const running = await startService({
    env: { VIGIL_UPSTREAM_PROMETHEUS: gone, VIGIL_PORT: '0', VIGIL_DATA_DIR: join(dir, 'data') },
    logger: quiet(),
  });
  try {
    const res = await fetch(`${running.url}/api/v1/query?query=up`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { errorType: string; error: string };
    assert.equal(body.errorType, 'unavailable');
    assert.match(body.error, new RegExp(`upstream ${gone.replace(/\./g, '\\.')} cannot be reached`));
  } finally {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
