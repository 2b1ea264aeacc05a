import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { ServerError } from '../src/errors.js';
import { type RunningService, startService } from '../src/service/serve.js';
import { exposition } from './support/exposition-server.js';

const TOKEN = 'service-test-token';
const quiet = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('vigil serve, in-process, scraping a real HTTP target', () => {
  let dir = '';
  let target: { server: Server; url: string };
  let running: RunningService;
  let env: Record<string, string>;
  const api = async (path: string, token: string | undefined = TOKEN) => {
    const res = await fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    // biome-ignore lint/suspicious/noExplicitAny: API bodies are checked field by field by the assertions.
    return { status: res.status, body: (await res.json()) as { status: string; data: any; errorType?: string } };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-service-'));
    target = await exposition({
      body: '# HELP demo_jobs_total Jobs.\n# TYPE demo_jobs_total counter\ndemo_jobs_total{kind="a"} 7\n',
    });
    const address = new URL(target.url).host;
    env = {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: join(dir, 'data'),
      VIGIL_ADMIN_TOKEN: TOKEN,
      SCRAPE_TARGETS: address,
      SCRAPE_INTERVAL_SECONDS: '1',
    };
    running = await startService({ env, logger: quiet() });
  });
  after(async () => {
    await running?.stop();
    target.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the target shows up healthy and its samples answer PromQL', async () => {
    const targets = await until(async () => {
      const { body } = await api('/api/v1/targets');
      const active = body.data.activeTargets as { health: string }[];
      return active.length === 1 && active[0]!.health === 'up' ? active : undefined;
    }, 'the first scrape');
    assert.equal((targets[0] as unknown as { scrapePool: string }).scrapePool, 'vigil-targets');
    const { body } = await api('/api/v1/query?query=demo_jobs_total');
    assert.equal(body.status, 'success');
    assert.deepEqual(body.data.result[0].metric, {
      __name__: 'demo_jobs_total',
      instance: new URL(target.url).host,
      job: 'vigil-targets',
      kind: 'a',
    });
    assert.equal(body.data.result[0].value[1], '7');
    const up = await api('/api/v1/query?query=up');
    assert.equal(up.body.data.result[0].value[1], '1');
  });

  test('a range query answers a matrix of [seconds, "value"] points', async () => {
    const end = Date.now() / 1000;
    const { status, body } = await api(
      `/api/v1/query_range?query=demo_jobs_total*2&start=${end - 30}&end=${end}&step=0.5`,
    );
    assert.equal(status, 200);
    assert.equal(body.data.resultType, 'matrix');
    const [series] = body.data.result as { metric: Record<string, string>; values: [number, string][] }[];
    assert.deepEqual(series!.metric, { instance: new URL(target.url).host, job: 'vigil-targets', kind: 'a' });
    assert.ok(series!.values.length >= 1);
    for (const [t, v] of series!.values) {
      assert.equal(typeof t, 'number');
      assert.equal(v, '14');
    }
    const post = await fetch(`${running.url}/api/v1/query_range`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=vector(1)&start=${end - 2}&end=${end}&step=1`,
    });
    assert.deepEqual(
      ((await post.json()) as { data: { result: { values: unknown[] }[] } }).data.result[0]!.values.length,
      3,
    );
    const tooMany = await api(`/api/v1/query_range?query=up&start=0&end=${end}&step=1`);
    assert.equal(tooMany.status, 400);
    assert.match(String((tooMany.body as { error?: string }).error), /11,000 points/);
  });

  test("the engine's warnings and infos are passed on beside the data", async () => {
    const res = await fetch(`${running.url}/api/v1/query?query=histogram_quantile(0.9,up)`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const body = (await res.json()) as { status: string; warnings?: string[] };
    assert.equal(body.status, 'success');
    assert.match(body.warnings?.[0] ?? '', /bucket label "le" is missing/);
  });

  test('series, labels, label values, metadata and buildinfo in Prometheus shapes', async () => {
    const series = await api('/api/v1/series?match[]=demo_jobs_total');
    assert.equal(series.body.data.length, 1);
    assert.ok((await api('/api/v1/labels')).body.data.includes('kind'));
    assert.deepEqual((await api('/api/v1/label/kind/values')).body.data, ['a']);
    assert.deepEqual((await api('/api/v1/metadata?metric=demo_jobs_total')).body.data, {
      demo_jobs_total: [{ type: 'counter', help: 'Jobs.', unit: '' }],
    });
    assert.equal((await api('/api/v1/status/buildinfo')).body.data.version, '0.1.0');
    const noMatch = await api('/api/v1/series');
    assert.equal(noMatch.status, 400);
    assert.equal(noMatch.body.errorType, 'bad_data');
  });

  test('bad queries are Prometheus errors; the API needs the admin token, the probes never do', async () => {
    const bad = await api('/api/v1/query?query=sum(');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errorType, 'bad_data');
    assert.equal((await api('/api/v1/query?query=up', 'wrong')).status, 401);
    assert.equal((await api('/api/v1/query?query=up', '')).status, 401);
    assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${running.url}/readyz`)).status, 200);
    const health = (await (
      await fetch(`${running.url}/health`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { status: string; components: { name: string; status: string; detail?: string }[] };
    assert.equal(health.status, 'ok');
    const components = Object.fromEntries(health.components.map((c) => [c.name, c]));
    assert.equal(components.tsdb?.status, 'ok');
    assert.equal(components.scrape?.status, 'ok');
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(metrics, /^vigil_tsdb_head_series \d+$/m);
    assert.match(metrics, /^vigil_target_scrapes_total\{scrape_job="vigil-targets",result="success"\} [1-9]/m);
  });

  test('GET /api/vigil/export streams OpenMetrics while the service runs', async () => {
    const res = await fetch(`${running.url}/api/vigil/export?match[]=demo_jobs_total`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    const text = await res.text();
    assert.match(text, /^# TYPE demo_jobs counter$/m);
    assert.match(text, /^demo_jobs_total\{instance="[^"]+",job="vigil-targets",kind="a"\} 7 \d+/m);
    assert.ok(text.endsWith('# EOF\n'));
    const bad = await fetch(`${running.url}/api/vigil/export?match[]=sum(x)`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(bad.status, 400);
  });

  test('the shipped rules are loaded when the config names none, and served in Prometheus shapes', async () => {
    const rules = await api('/api/v1/rules');
    assert.equal(rules.status, 200);
    const groups = rules.body.data.groups as { name: string; file: string; rules: { type: string }[] }[];
    assert.ok(groups.length >= 3, `${groups.length} groups`);
    assert.ok(groups.every((g) => g.file.includes('deploy/prometheus/rules/')));
    assert.ok(groups.some((g) => g.rules.some((r) => r.type === 'alerting')));
    const alerts = await api('/api/v1/alerts');
    assert.equal(alerts.status, 200);
    assert.ok(Array.isArray(alerts.body.data.alerts));
  });

  test('the dashboard is served at / (its routes too); unknown API paths are 404', async () => {
    for (const path of ['/', '/explore?query=up']) {
      const res = await fetch(`${running.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<title>Vigil/);
    }
    assert.equal((await api('/api/v1/nope')).status, 404);
  });

  test('a second service on the same data directory is refused, naming the holder', async () => {
    await assert.rejects(
      startService({ env: { ...env, VIGIL_PORT: '0' }, logger: quiet() }),
      (e: unknown) =>
        e instanceof ServerError && e.code === 'VIGIL_DATA_DIR_LOCKED' && /vigil serve \(pid \d+\)/.test(e.message),
    );
  });

  test('after a restart on the same data directory the samples are still there', async () => {
    const before = await api('/api/v1/query?query=demo_jobs_total[5m]');
    const scraped = before.body.data.result[0].values.length as number;
    assert.ok(scraped >= 1);
    await running.stop();
    running = await startService({ env, logger: quiet() });
    // Raw samples (a range selector): the stop's staleness marker ends the series but keeps its samples.
    const after = await api('/api/v1/query?query=demo_jobs_total[5m]');
    assert.equal(after.body.status, 'success');
    assert.ok(after.body.data.result[0].values.length >= scraped);
    assert.equal(after.body.data.result[0].values[0][1], '7');
  });
});

describe('vigil serve: bad configuration is refused before anything listens', () => {
  test('a bad config file names the file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-service-'));
    try {
      const file = join(dir, 'vigil.yaml');
      writeFileSync(file, 'global:\n  scrape_interval: soon\n');
      await assert.rejects(
        startService({ env: { VIGIL_CONFIG: file, VIGIL_DATA_DIR: join(dir, 'data') }, logger: quiet() }),
        (e: unknown) =>
          e instanceof ServerError &&
          e.code === 'VIGIL_BAD_CONFIG' &&
          /vigil\.yaml.*line 2.*scrape_interval/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port in use is VIGIL_LISTEN, and the data directory is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-service-'));
    const first = await startService({ env: { VIGIL_PORT: '0', VIGIL_DATA_DIR: join(dir, 'a') }, logger: quiet() });
    try {
      const port = new URL(first.url).port;
      const env = { VIGIL_PORT: port, VIGIL_DATA_DIR: join(dir, 'b') };
      await assert.rejects(startService({ env, logger: quiet() }), /VIGIL_LISTEN|already in use/);
      await assert.rejects(
        startService({ env, logger: quiet() }),
        (e: unknown) => (e as ServerError).code === 'VIGIL_LISTEN',
      );
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
