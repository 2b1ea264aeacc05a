import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Label } from '@vigil/tsdb';
import { parseConfig } from '../src/config/index.js';
import { type Target, type TargetChange, TargetDiscovery } from '../src/discovery/index.js';

const record = (labels: Label[]) => Object.fromEntries(labels.map((l) => [l.name, l.value]));

async function discover(yaml: string, env: Record<string, string> = {}) {
  const discovery = new TargetDiscovery(parseConfig(yaml, 'vigil.yaml', env), { watch: false });
  const changes: TargetChange[] = [];
  const errors: Error[] = [];
  discovery.on('change', (c) => changes.push(c));
  discovery.on('error', (e) => errors.push(e));
  await discovery.start();
  discovery.stop();
  return { discovery, changes, errors };
}

const summary = (t: Target) => ({ url: t.url, labels: record(t.labels) });

describe('targets from static_configs', () => {
  test('job and instance labels, group labels, the URL, and the discovered labels before relabeling', async () => {
    const { discovery, changes } = await discover(`
global: { scrape_interval: 15s }
scrape_configs:
  - job_name: node
    scrape_timeout: 4s
    static_configs:
      - targets: ['host-a:9100', 'host-b:9100']
        labels: { team: infra }
`);
    const targets = discovery.targets();
    assert.deepEqual(targets.map(summary), [
      { url: 'http://host-a:9100/metrics', labels: { instance: 'host-a:9100', job: 'node', team: 'infra' } },
      { url: 'http://host-b:9100/metrics', labels: { instance: 'host-b:9100', job: 'node', team: 'infra' } },
    ]);
    assert.deepEqual(record(targets[0]!.discoveredLabels), {
      __address__: 'host-a:9100',
      __metrics_path__: '/metrics',
      __scheme__: 'http',
      __scrape_interval__: '15s',
      __scrape_timeout__: '4s',
      job: 'node',
      team: 'infra',
    });
    assert.deepEqual([targets[0]!.scrapeInterval, targets[0]!.scrapeTimeout], [15_000, 4000]);
    assert.equal(targets[0]!.config.jobName, 'node');
    assert.deepEqual(
      targets[0]!.labels.map((l) => l.name),
      ['instance', 'job', 'team'],
      'sorted by name',
    );
    assert.deepEqual(
      changes.map((c) => [c.job, c.targets.length, c.added.length, c.removed.length]),
      [['node', 2, 2, 0]],
      'start() reports every job once',
    );
  });

  test('the blackbox pattern: __param_target from the address, instance from it, a fixed exporter address', async () => {
    const { discovery } = await discover(`
scrape_configs:
  - job_name: blackbox
    metrics_path: /probe
    params: { module: [http_2xx] }
    static_configs:
      - targets: ['https://example.com/a b', 'https://vigil.dev']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:9115
`);
    assert.deepEqual(discovery.targets().map(summary), [
      {
        url: 'http://127.0.0.1:9115/probe?module=http_2xx&target=https%3A%2F%2Fexample.com%2Fa+b',
        labels: { instance: 'https://example.com/a b', job: 'blackbox' },
      },
      {
        url: 'http://127.0.0.1:9115/probe?module=http_2xx&target=https%3A%2F%2Fvigil.dev',
        labels: { instance: 'https://vigil.dev', job: 'blackbox' },
      },
    ]);
  });

  test('relabeling may change the scheme, path, interval and timeout of a target', async () => {
    const { discovery } = await discover(`
global: { scrape_interval: 1m }
scrape_configs:
  - job_name: j
    static_configs:
      - targets: ['a:1']
        labels: { __scheme__: https, __metrics_path__: /custom, __scrape_interval__: 10s, __scrape_timeout__: 2s }
`);
    const [t] = discovery.targets();
    assert.equal(t!.url, 'https://a:1/custom');
    assert.deepEqual([t!.scrapeInterval, t!.scrapeTimeout], [10_000, 2000]);
    assert.deepEqual(record(t!.labels), { instance: 'a:1', job: 'j' }, '__ labels never reach the series');
  });

  test('hashmod + keep shards the targets; the dropped keep their discovered labels', async () => {
    const { discovery } = await discover(`
scrape_configs:
  - job_name: sharded
    static_configs:
      - targets: ['a:1', 'b:2', 'c:3', 'd:4', 'e:5', 'f:6']
    relabel_configs:
      - source_labels: [__address__]
        modulus: 2
        target_label: __tmp_shard
        action: hashmod
      - source_labels: [__tmp_shard]
        regex: '0'
        action: keep
`);
    const shard = (address: string) => createHash('md5').update(address).digest().readBigUInt64BE(8) % 2n;
    const all = ['a:1', 'b:2', 'c:3', 'd:4', 'e:5', 'f:6'];
    assert.deepEqual(
      discovery.targets().map((t) => record(t.labels).instance),
      all.filter((a) => shard(a) === 0n),
    );
    assert.deepEqual(
      discovery.dropped().map((d) => record(d.discoveredLabels).__address__),
      all.filter((a) => shard(a) === 1n),
    );
  });

  test('an explicit instance label is kept; equal targets from two groups are scraped once', async () => {
    const { discovery } = await discover(`
scrape_configs:
  - job_name: j
    static_configs:
      - targets: ['a:1']
        labels: { instance: primary }
      - targets: ['a:1']
        labels: { instance: primary }
      - targets: ['a:1']
`);
    assert.deepEqual(
      discovery.targets().map((t) => record(t.labels).instance),
      ['primary', 'a:1'],
    );
  });

  test('a target relabeled into nonsense is refused with its place and reason; the others stay', async () => {
    const { discovery, errors } = await discover(`
scrape_configs:
  - job_name: j
    static_configs:
      - targets: ['good:1', 'bad:2']
    relabel_configs:
      - source_labels: [__address__]
        regex: 'bad:.*'
        target_label: __scrape_interval__
        replacement: often
`);
    assert.deepEqual(
      discovery.targets().map((t) => t.url),
      ['http://good:1/metrics'],
    );
    assert.deepEqual(
      errors.map((e) => e.message),
      ['vigil.yaml line 5: target 2 ("bad:2") of job "j": __scrape_interval__ "often" is not a duration'],
    );
    assert.deepEqual(
      discovery.errors().map((e) => (e as Error & { code: string }).code),
      ['VIGIL_BAD_CONFIG'],
    );
  });

  test('SCRAPE_TARGETS: each target with its own scheme and path', async () => {
    const { discovery } = await discover('', {
      SCRAPE_TARGETS: 'localhost:8000,localhost:8015/api/metrics,https://x.example',
    });
    assert.deepEqual(discovery.targets().map(summary), [
      { url: 'http://localhost:8000/metrics', labels: { instance: 'localhost:8000', job: 'vigil-targets' } },
      { url: 'http://localhost:8015/api/metrics', labels: { instance: 'localhost:8015', job: 'vigil-targets' } },
      { url: 'https://x.example/metrics', labels: { instance: 'x.example', job: 'vigil-targets' } },
    ]);
    assert.equal(discovery.targetsOf('vigil-targets').length, 3);
    assert.deepEqual(discovery.targetsOf('nope'), []);
  });

  test('a change listener that throws is reported to error listeners, not thrown into discovery', async () => {
    const discovery = new TargetDiscovery(parseConfig('', 'vigil.yaml', { SCRAPE_TARGETS: 'a:1' }), { watch: false });
    const errors: Error[] = [];
    discovery.on('change', () => {
      throw new Error('listener bug');
    });
    discovery.on('error', (e) => errors.push(e));
    await discovery.start();
    discovery.stop();
    assert.deepEqual(
      errors.map((e) => e.message),
      ['listener bug'],
    );
  });
});

describe('reload', () => {
  const yaml = (jobs: string) => `scrape_configs:\n${jobs}`;
  const job = (name: string, extra = '') =>
    `  - job_name: ${name}\n${extra}    static_configs: [{ targets: ['${name}:1'] }]\n`;

  test('unchanged jobs report nothing, a changed job restarts, a gone job empties, a new job appears', async () => {
    const discovery = new TargetDiscovery(parseConfig(yaml(job('a') + job('b') + job('c')), 'vigil.yaml', {}), {
      watch: false,
    });
    await discovery.start();
    const before = discovery.targets();
    const changes: TargetChange[] = [];
    discovery.on('change', (c) => changes.push(c));
    // Job a moves down a few lines (its place changes, its settings do not); b gets a new interval.
    const next = yaml(`  # moved\n  # down\n${job('a')}${job('b', '    scrape_interval: 5s\n')}${job('d')}`);
    await discovery.reload(parseConfig(next, 'vigil.yaml', {}));
    discovery.stop();
    assert.deepEqual(
      changes.map((c) => [c.job, c.targets.map((t) => t.url), c.added.map((t) => t.url), c.removed.map((t) => t.url)]),
      [
        ['b', ['http://b:1/metrics'], ['http://b:1/metrics'], ['http://b:1/metrics']],
        ['d', ['http://d:1/metrics'], ['http://d:1/metrics'], []],
        ['c', [], [], ['http://c:1/metrics']],
      ],
    );
    const [bChange] = changes;
    assert.notEqual(bChange!.added[0]!.key, bChange!.removed[0]!.key, 'a changed job gives its targets new keys');
    assert.equal(bChange!.added[0]!.scrapeInterval, 5000);
    assert.equal(discovery.targetsOf('a')[0], before[0], 'an unchanged job keeps its very targets');
    assert.deepEqual(
      discovery.targets().map((t) => t.job),
      ['a', 'b', 'd'],
    );
  });

  test('before start(), a reload only replaces the configuration', async () => {
    const discovery = new TargetDiscovery(parseConfig(yaml(job('a')), 'vigil.yaml', {}), { watch: false });
    const changes: TargetChange[] = [];
    discovery.on('change', (c) => changes.push(c));
    await discovery.reload(parseConfig(yaml(job('b')), 'vigil.yaml', {}));
    assert.equal(changes.length, 0);
    await discovery.start();
    discovery.stop();
    assert.deepEqual(
      changes.map((c) => c.job),
      ['b'],
    );
  });
});
