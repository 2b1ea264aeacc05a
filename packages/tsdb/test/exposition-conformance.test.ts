// Prometheus itself is the reference: a real Prometheus scrapes every fixture (served with
// its format's Content-Type), and Vigil must agree with it. Fixtures under agree/ must be
// scraped by both with the same samples; fixtures under reject/ must fail both.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type RunningPeer, startPrometheus } from '@vigil/test-peers';
import { type ExpositionFormat, parseExposition, TsdbError } from '../src/index.js';

const FIXTURES = new URL('../../test/fixtures/exposition/', import.meta.url);
const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};
const SCRAPE_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);
const SCRAPED_WITHIN_MS = 30_000;

interface Fixture {
  name: string;
  expect: 'agree' | 'reject';
  format: ExpositionFormat;
  body: string;
}

function loadFixtures(): Fixture[] {
  return (['agree', 'reject'] as const).flatMap((expect) =>
    readdirSync(new URL(`${expect}/`, FIXTURES))
      .sort()
      .map((name) => ({
        name,
        expect,
        format: name.endsWith('.om') ? ('openmetrics' as const) : ('prometheus' as const),
        body: readFileSync(new URL(`${expect}/${name}`, FIXTURES), 'utf8'),
      })),
  );
}

/** `name{a="x",b="y"}` with labels sorted and Prometheus's target labels left out. */
function seriesKey(name: string, labels: Array<{ name: string; value: string }>): string {
  const kept = labels.filter((l) => l.name !== 'job' && l.name !== 'instance' && l.name !== '__name__');
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${name}{${kept.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',')}}`;
}

function promValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(prometheus: RunningPeer, promql: string): Promise<PromSample[]> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { status: string; data: { result: PromSample[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

describe('Vigil agrees with a real Prometheus on every fixture', { timeout: 90_000 }, () => {
  const fixtures = loadFixtures();
  let server: Server | undefined;
  let prometheus: RunningPeer | undefined;
  const up = new Map<string, number>();

  before(async () => {
    server = createServer((request, response) => {
      const fixture = fixtures.find((f) => request.url === `/${f.expect}/${f.name}`);
      if (fixture === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': CONTENT_TYPES[fixture.format] }).end(fixture.body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    const jobs = fixtures.map(
      (f) =>
        `  - job_name: ${JSON.stringify(f.name)}\n    honor_timestamps: false\n    metrics_path: /${f.expect}/${f.name}\n` +
        `    static_configs: [{ targets: ["127.0.0.1:${address.port}"] }]\n`,
    );
    prometheus = await startPrometheus(
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n${jobs.join('')}`,
    );
    // Wait (bounded) until Prometheus has scraped every fixture once.
    const deadline = Date.now() + SCRAPED_WITHIN_MS;
    while (up.size < fixtures.length) {
      for (const sample of await query(prometheus, 'up')) up.set(sample.metric.job!, Number(sample.value[1]));
      if (up.size >= fixtures.length) break;
      assert.ok(Date.now() < deadline, `Prometheus scraped only ${up.size} of ${fixtures.length} fixtures`);
      // A real process scraping on its own 1 s schedule: there is no clock to inject.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  // Prometheus's own words on a failed scrape, for the assertion messages.
  async function lastError(job: string): Promise<string> {
    const response = await fetch(`${prometheus!.url}/api/v1/targets`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as {
      data: { activeTargets: Array<{ labels: Record<string, string>; lastError: string }> };
    };
    return body.data.activeTargets.find((t) => t.labels.job === job)?.lastError ?? '(no target)';
  }

  after(async () => {
    await prometheus?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  for (const fixture of fixtures) {
    if (fixture.expect === 'agree') {
      test(`${fixture.name}: both read the same samples`, async () => {
        if (up.get(fixture.name) !== 1) assert.fail(`Prometheus failed to scrape it: ${await lastError(fixture.name)}`);
        const ours = new Map<string, number>();
        for (const entry of parseExposition(fixture.body, { format: fixture.format })) {
          if (entry.kind === 'sample') ours.set(seriesKey(entry.sample.name, entry.sample.labels), entry.sample.value);
        }
        const theirs = new Map<string, number>();
        for (const sample of await query(prometheus!, `{job=${JSON.stringify(fixture.name)}}`)) {
          const name = sample.metric.__name__!;
          if (SCRAPE_SERIES.has(name)) continue;
          const labels = Object.entries(sample.metric).map(([n, value]) => ({ name: n, value }));
          theirs.set(seriesKey(name, labels), promValue(sample.value[1]));
        }
        assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
        for (const [key, value] of ours)
          assert.ok(Object.is(value, theirs.get(key)), `${key}: ${value} vs ${theirs.get(key)}`);
      });

      test(`${fixture.name}: both read the same HELP texts`, async () => {
        const ours = new Map<string, string>();
        for (const entry of parseExposition(fixture.body, { format: fixture.format })) {
          if (entry.kind === 'family' && entry.family.help !== undefined)
            ours.set(entry.family.name, entry.family.help);
        }
        const match = encodeURIComponent(`{job=${JSON.stringify(fixture.name)}}`);
        const response = await fetch(`${prometheus!.url}/api/v1/targets/metadata?match_target=${match}`, {
          signal: AbortSignal.timeout(5000),
        });
        const body = (await response.json()) as { data: Array<{ metric: string; help: string }> };
        const theirs = new Map(body.data.map((m) => [m.metric, m.help]));
        for (const [name, help] of ours) assert.equal(theirs.get(name), help, name);
      });
    } else {
      test(`${fixture.name}: both reject it`, () => {
        assert.equal(up.get(fixture.name), 0, 'Prometheus scraped it without error');
        assert.throws(
          () => [...parseExposition(fixture.body, { format: fixture.format })],
          (error: unknown) => error instanceof TsdbError && error.code === 'VIGIL_PARSE',
        );
      });
    }
  }
});
