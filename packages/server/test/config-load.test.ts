// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${VAR} are Go template and env syntax under test, not JavaScript
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, parseConfig } from '../src/config/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/config/', import.meta.url));
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('a prometheus.yml loads as it is', () => {
  test("Debian's sample prometheus.yml: globals, per-job overrides and Prometheus's defaults", () => {
    const config = parseConfig(fixture('debian-prometheus.yml'), join(FIXTURES, 'debian-prometheus.yml'), {});
    assert.deepEqual(config.global, {
      scrapeInterval: 15_000,
      scrapeTimeout: 10_000,
      evaluationInterval: 15_000,
      externalLabels: { monitor: 'example' },
      sampleLimit: 0,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
      bodySizeLimit: 0,
    });
    assert.deepEqual(
      config.scrapeConfigs.map((j) => [j.jobName, j.scrapeInterval, j.scrapeTimeout, j.staticConfigs[0]!.targets]),
      [
        ['prometheus', 5000, 5000, ['localhost:9090']],
        ['node', 15_000, 10_000, ['localhost:9100']],
      ],
    );
    const node = config.scrapeConfigs[1]!;
    assert.equal(node.metricsPath, '/metrics');
    assert.equal(node.scheme, 'http');
    assert.equal(node.honorLabels, false);
    assert.equal(node.honorTimestamps, true);
    assert.equal(node.enableCompression, true);
    assert.deepEqual(node.http, { tls: { insecureSkipVerify: false }, followRedirects: true });
    assert.deepEqual(config.ruleFiles, []);
    assert.deepEqual(config.alerting.alertmanagers[0]!.staticConfigs[0]!.targets, ['localhost:9093']);
    assert.equal(config.alerting.alertmanagers[0]!.timeout, 10_000);
  });

  test('every option Vigil reads, normalized (ms, bytes, resolved paths)', () => {
    const file = join(FIXTURES, 'full.yml');
    const config = parseConfig(fixture('full.yml'), file, { VIGIL_ADMIN_TOKEN: 'env-token' });
    assert.equal(config.file, file);
    assert.deepEqual(config.global.externalLabels, { region: 'eu-west-1' });
    assert.deepEqual(config.ruleFiles, [join(FIXTURES, 'rules/*.yml'), join(FIXTURES, 'alerts.rules.yml')]);

    const [agents, blackbox, sharded] = config.scrapeConfigs;
    assert.ok(agents && blackbox && sharded);
    assert.equal(agents.scrapeInterval, 10_000);
    assert.equal(agents.scrapeTimeout, 5000, 'the global scrape_timeout (5s) applies');
    assert.equal(agents.metricsPath, '/internal/metrics');
    assert.equal(agents.scheme, 'https');
    assert.deepEqual(agents.params, { format: ['prometheus'] });
    assert.equal(agents.honorLabels, true);
    assert.equal(agents.honorTimestamps, false);
    assert.deepEqual(
      [agents.sampleLimit, agents.labelLimit, agents.labelNameLengthLimit, agents.labelValueLengthLimit],
      [50_000, 40, 128, 1024],
    );
    assert.equal(agents.bodySizeLimit, 10 * 1024 * 1024);
    assert.deepEqual(agents.http.authorization, {
      type: 'Bearer',
      credentialsFile: join(FIXTURES, 'secrets/agent-token'),
    });
    assert.deepEqual(agents.http.tls, {
      caFile: join(FIXTURES, 'certs/ca.pem'),
      serverName: 'agents.internal',
      insecureSkipVerify: false,
    });
    assert.deepEqual(agents.staticConfigs[0]!.labels, { team: 'search' });
    assert.deepEqual(agents.fileSdConfigs, [
      { files: [join(FIXTURES, 'targets/*.json'), join(FIXTURES, 'targets/*.yml')], refreshInterval: 60_000 },
    ]);
    assert.deepEqual(
      agents.relabelConfigs.map((r) => [r.action, r.sourceLabels, r.regexSource, r.targetLabel, r.replacement]),
      [
        ['replace', ['__meta_filepath'], '.*/(\\w+)\\.(?:json|yml)', 'source_file', '$1'],
        ['replace', ['__address__'], '([^:]+):\\d+', 'host', '${1}'],
        ['labelmap', [], '__meta_(.+)', '', 'meta_$1'],
      ],
    );
    assert.deepEqual(
      agents.metricRelabelConfigs.map((r) => [r.action, r.regexSource]),
      [['drop', 'debug_.*']],
    );

    assert.equal(blackbox.scrapeInterval, 20_000);
    assert.equal(blackbox.scrapeTimeout, 5000);
    assert.deepEqual(blackbox.http.basicAuth, { username: 'prober', password: 'not-a-real-secret' });
    assert.deepEqual(sharded.http.authorization, { type: 'Bearer', credentials: 'also-not-a-secret' });
    assert.equal(sharded.relabelConfigs[0]!.modulus, 2);

    const am = config.alerting.alertmanagers[0]!;
    assert.deepEqual([am.scheme, am.pathPrefix, am.timeout, am.apiVersion], ['https', '/am', 5000, 'v2']);
    assert.deepEqual(am.http.basicAuth, { username: 'vigil', passwordFile: join(FIXTURES, 'secrets/am-password') });
    assert.equal(config.alerting.alertRelabelConfigs[0]!.action, 'labeldrop');

    const rw = config.remoteWrite[0]!;
    assert.equal(rw.url, 'https://mimir.example.com/api/v1/push');
    assert.equal(rw.name, 'mimir');
    assert.equal(rw.remoteTimeout, 10_000);
    assert.deepEqual(rw.headers, { 'X-Scope-OrgID': 'team-a' });
    assert.deepEqual(rw.http.authorization, { type: 'Bearer', credentialsFile: join(FIXTURES, 'secrets/mimir-token') });
    assert.equal(rw.queue.maxShards, 10);
    assert.equal(rw.queue.capacity, 10_000, "Prometheus's default");
    assert.equal(rw.queue.batchSendDeadline, 10_000);
    assert.equal(rw.metadata.send, false);

    assert.deepEqual(config.vigil, {
      port: 9015,
      listenAddress: '127.0.0.1',
      dataDir: join(FIXTURES, 'data'),
      adminTokens: ['file-token-1', 'env-token'],
      retention: { time: 30 * 86_400_000, size: 2 * 1024 ** 3, logs: 7 * 86_400_000, spans: 30 * 86_400_000 },
      flushInterval: 10_000,
    });
  });

  test('an empty file is a valid config with no jobs', () => {
    const config = parseConfig('', 'vigil.yaml', {});
    assert.deepEqual(config.scrapeConfigs, []);
    assert.equal(config.global.scrapeInterval, 30_000);
    assert.equal(config.global.scrapeTimeout, 10_000);
    assert.equal(config.global.evaluationInterval, 60_000);
  });

  test('anchors and merge keys are read as go-yaml reads them', () => {
    const config = parseConfig(
      [
        'scrape_configs:',
        '  - &base',
        '    job_name: a',
        '    scrape_interval: 7s',
        '    metrics_path: /m',
        "    static_configs: [{ targets: ['a:1'] }]",
        '  - <<: *base',
        '    job_name: b',
        '    metrics_path: /own',
      ].join('\n'),
      'vigil.yaml',
      {},
    );
    const b = config.scrapeConfigs[1]!;
    assert.deepEqual(
      [b.jobName, b.scrapeInterval, b.metricsPath, b.staticConfigs[0]!.targets],
      ['b', 7000, '/own', ['a:1']],
    );
  });
});

test('vigil.example.yaml scrapes the demo agent and Vigil itself', () => {
  const file = fileURLToPath(new URL('../../../../vigil.example.yaml', import.meta.url));
  const config = parseConfig(readFileSync(file, 'utf8'), file, {});
  assert.deepEqual(
    config.scrapeConfigs.map((j) => [j.jobName, j.staticConfigs.flatMap((g) => g.targets)]),
    [
      ['demo-agent', ['localhost:8000']],
      ['vigil', ['localhost:8015']],
    ],
  );
  assert.equal(config.vigil.port, 8015);
});

describe('environment and file: the file wins, the environment fills in, then the defaults', () => {
  test('with neither, Vigil defaults: port 8015, ./.vigil-data, 30s, no jobs, no tokens', () => {
    const config = parseConfig('', undefined, {}, '/srv/app');
    assert.equal(config.file, undefined);
    assert.deepEqual(config.vigil, {
      port: 8015,
      listenAddress: '0.0.0.0',
      dataDir: '/srv/app/.vigil-data',
      adminTokens: [],
      retention: { time: 15 * 86_400_000, size: 0, logs: 15 * 86_400_000, spans: 15 * 86_400_000 },
      flushInterval: 5000,
    });
    assert.equal(config.global.scrapeInterval, 30_000);
    assert.deepEqual(config.scrapeConfigs, []);
  });

  test('VIGIL_PORT, VIGIL_DATA_DIR, VIGIL_ADMIN_TOKEN (comma-separated) fill in what the file leaves unset', () => {
    const env = { VIGIL_PORT: '9999', VIGIL_DATA_DIR: '/var/lib/vigil', VIGIL_ADMIN_TOKEN: 'one, two' };
    const fromEnv = parseConfig('', undefined, env, '/srv/app').vigil;
    assert.deepEqual([fromEnv.port, fromEnv.dataDir, fromEnv.adminTokens], [9999, '/var/lib/vigil', ['one', 'two']]);
    const fromFile = parseConfig(
      'vigil:\n  port: 7000\n  data_dir: d\n',
      '/etc/vigil/vigil.yaml',
      env,
      '/srv/app',
    ).vigil;
    assert.deepEqual(
      [fromFile.port, fromFile.dataDir],
      [7000, '/etc/vigil/d'],
      'the file wins; its paths resolve against its directory',
    );
    assert.deepEqual(fromFile.adminTokens, ['one', 'two'], 'tokens from the environment are accepted too');
  });

  test('SCRAPE_INTERVAL_SECONDS applies when the file sets no global scrape_interval', () => {
    assert.equal(parseConfig('', undefined, { SCRAPE_INTERVAL_SECONDS: '45' }).global.scrapeInterval, 45_000);
    assert.equal(parseConfig('', undefined, { SCRAPE_INTERVAL_SECONDS: '0.5' }).global.scrapeInterval, 500);
    const fileSets = parseConfig('global:\n  scrape_interval: 15s\n', 'vigil.yaml', { SCRAPE_INTERVAL_SECONDS: '45' });
    assert.equal(fileSets.global.scrapeInterval, 15_000);
    const short = parseConfig('', undefined, { SCRAPE_INTERVAL_SECONDS: '5' });
    assert.equal(short.global.scrapeTimeout, 5000, 'the 10s default timeout is capped to the interval');
  });

  test('SCRAPE_TARGETS becomes the job vigil-targets, after the jobs of the file', () => {
    const config = parseConfig(
      'scrape_configs:\n  - job_name: node\n    static_configs: [{ targets: [localhost:9100] }]\n',
      'vigil.yaml',
      { SCRAPE_TARGETS: ' localhost:8000 , localhost:8015/metrics,https://agent.example/internal/metrics,[::1]:9000,' },
    );
    const job = config.scrapeConfigs[1]!;
    assert.equal(job.jobName, 'vigil-targets');
    assert.equal(job.scrapeInterval, 30_000);
    assert.equal(job.origin, 'SCRAPE_TARGETS');
    assert.deepEqual(
      job.staticConfigs.map((g) => [g.targets, g.labels]),
      [
        [['localhost:8000', '[::1]:9000'], {}],
        [['localhost:8015'], { __metrics_path__: '/metrics' }],
        [['agent.example'], { __scheme__: 'https', __metrics_path__: '/internal/metrics' }],
      ],
    );
  });

  test('loadConfig reads the path given, else VIGIL_CONFIG, relative to cwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
    try {
      writeFileSync(join(dir, 'vigil.yaml'), 'vigil:\n  port: 8123\n');
      assert.equal((await loadConfig({ path: 'vigil.yaml', env: {}, cwd: dir })).vigil.port, 8123);
      const viaEnv = await loadConfig({ env: { VIGIL_CONFIG: join(dir, 'vigil.yaml') } });
      assert.equal(viaEnv.vigil.port, 8123);
      assert.equal(viaEnv.file, join(dir, 'vigil.yaml'));
      assert.equal((await loadConfig({ env: {}, cwd: dir })).file, undefined, 'no file is read unless named');
      await assert.rejects(loadConfig({ path: 'missing.yaml', env: {}, cwd: dir }), {
        code: 'VIGIL_BAD_CONFIG',
        message: 'missing.yaml: cannot read the config file: no such file',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('external_labels expand $VAR and ${VAR} from the environment, as Prometheus does', () => {
    const config = parseConfig(
      'global:\n  external_labels:\n    cluster: ${CLUSTER}\n    host: $HOST-x\n    price: $$5\n',
      'vigil.yaml',
      { CLUSTER: 'prod', HOST: 'h1' },
    );
    assert.deepEqual(config.global.externalLabels, { cluster: 'prod', host: 'h1-x', price: '$5' });
  });
});
