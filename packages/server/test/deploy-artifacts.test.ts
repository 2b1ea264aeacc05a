import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, parseConfig } from '../src/config/index.js';

const ROOT = new URL('../../../../', import.meta.url);
const PROMETHEUS_YML = fileURLToPath(new URL('deploy/prometheus/prometheus.yml', ROOT));
const VIGIL_K8S = new URL('deploy/kubernetes/vigil/', ROOT);
const COMPOSE = new URL('deploy/compose/', ROOT);

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = hasPromtool() ? false : 'promtool is not installed (Debian/Ubuntu: apt-get install prometheus)';

test('every shipped config file loads as `vigil serve` reads it (VIGIL_CONFIG, VIGIL_ADMIN_TOKEN)', async () => {
  for (const file of ['vigil.example.yaml', 'deploy/compose/vigil.yaml', 'deploy/prometheus/prometheus.yml']) {
    const path = fileURLToPath(new URL(file, ROOT));
    const config = await loadConfig({ env: { VIGIL_CONFIG: path, VIGIL_ADMIN_TOKEN: 'a-token-of-24-characters' } });
    assert.ok(config.scrapeConfigs.length > 0, `${file}: no scrape jobs`);
    assert.ok(
      config.scrapeConfigs.some((job) => job.jobName === 'vigil'),
      `${file}: Vigil does not scrape itself`,
    );
    assert.equal(config.vigil.port, 8015, file);
  }
});

describe('deploy/prometheus/prometheus.yml', () => {
  test('promtool check config accepts it, rule files included', { skip }, async () => {
    const { stdout } = await promisify(execFile)('promtool', ['check', 'config', PROMETHEUS_YML]);
    assert.match(stdout, /SUCCESS: \S*prometheus\.yml is valid/);
    const rules = readdirSync(new URL('deploy/prometheus/rules/', ROOT)).filter((f) => f.endsWith('.yml'));
    assert.match(stdout, new RegExp(`SUCCESS: ${rules.length} rule files found`));
    assert.doesNotMatch(stdout, /WARNING/);
  });

  test('Vigil reads it too: the agents and Vigil jobs, the shipped rules', () => {
    const config = parseConfig(readFileSync(PROMETHEUS_YML, 'utf8'), PROMETHEUS_YML, {});
    assert.deepEqual(
      config.scrapeConfigs.map((j) => [j.jobName, j.staticConfigs.flatMap((g) => g.targets)]),
      [
        ['agents', ['agent-service:8000']],
        ['vigil', ['vigil:8015']],
      ],
    );
    assert.deepEqual(config.ruleFiles, [fileURLToPath(new URL('deploy/prometheus/rules/*.yml', ROOT))]);
  });

  test('its remote_write example points at Vigil’s receiver, stays commented out, and is valid once uncommented', {
    skip,
  }, async () => {
    const text = readFileSync(PROMETHEUS_YML, 'utf8');
    assert.equal((parse(text) as Record<string, unknown>).remote_write, undefined);
    const block = /^# remote_write:\n(?:# {2}.*\n)+/m.exec(text);
    assert.ok(block, 'a commented remote_write block');
    const enabled = text.replace(block[0], block[0].replace(/^# ?/gm, ''));
    const remoteWrite = (parse(enabled) as { remote_write: Array<{ url: string }> }).remote_write;
    assert.deepEqual(
      remoteWrite.map((r) => r.url),
      ['http://vigil:8015/api/v1/write'],
    );
    const dir = mkdtempSync(join(tmpdir(), 'vigil-deploy-'));
    try {
      writeFileSync(join(dir, 'prometheus.yml'), enabled);
      const { stdout } = await promisify(execFile)('promtool', ['check', 'config', '--syntax-only', 'prometheus.yml'], {
        cwd: dir,
      });
      assert.match(stdout, /SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Container {
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field below
  spec: any;
  data?: Record<string, string>;
}

function manifests(): Manifest[] {
  return readdirSync(VIGIL_K8S)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(new URL(file, VIGIL_K8S), 'utf8')).map((doc) => {
        assert.deepEqual(doc.errors, [], `${file}: ${doc.errors.join('; ')}`);
        const m = doc.toJS() as Manifest;
        assert.ok(m.apiVersion && m.kind && m.metadata?.name, `${file}: apiVersion, kind and metadata.name`);
        return m;
      }),
    );
}

describe('deploy/kubernetes/vigil', () => {
  const docs = manifests();
  const byKind = (kind: string): Manifest => docs.find((d) => d.kind === kind)!;
  const set = byKind('StatefulSet');
  const service = byKind('Service');
  const configMap = byKind('ConfigMap');
  const pod = set.spec.template.spec;
  const container = pod.containers[0] as Container;
  const env = (name: string) => container.env.find((e) => e.name === name);

  test('a StatefulSet, its Service and its ConfigMap', () => {
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['ConfigMap', 'Service', 'StatefulSet']);
  });

  test('one replica, governed by the Service, whose selector matches the pods', () => {
    assert.equal(set.spec.replicas, 1);
    assert.equal(set.spec.serviceName, service.metadata.name);
    for (const [key, value] of Object.entries(service.spec.selector as Record<string, string>)) {
      assert.equal(set.spec.template.metadata.labels[key], value, `pod label ${key}`);
      assert.equal(set.spec.selector.matchLabels[key], value, `StatefulSet selector ${key}`);
    }
  });

  test('probes on /healthz and /readyz, on the port the Service forwards 8015 to', () => {
    assert.deepEqual(
      [container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path],
      ['/healthz', '/readyz'],
    );
    const [port] = service.spec.ports as Array<{ port: number; targetPort: string }>;
    assert.equal(port!.port, 8015);
    const named = container.ports.find((p) => p.name === port!.targetPort);
    assert.equal(named?.containerPort, 8015, `container port named ${port!.targetPort}`);
    assert.equal(container.livenessProbe.httpGet.port, named!.name);
    assert.equal(container.readinessProbe.httpGet.port, named!.name);
  });

  test('VIGIL_DATA_DIR on the volume claim, VIGIL_ADMIN_TOKEN from a Secret', () => {
    const claim = (set.spec.volumeClaimTemplates as Array<{ metadata: { name: string } }>)[0]!.metadata.name;
    const mount = container.volumeMounts.find((m) => m.name === claim);
    assert.equal(mount?.mountPath, env('VIGIL_DATA_DIR')?.value);
    assert.deepEqual(env('VIGIL_ADMIN_TOKEN')?.valueFrom?.secretKeyRef, { name: 'vigil-admin', key: 'token' });
  });

  test('VIGIL_CONFIG is the ConfigMap’s vigil.yaml, which Vigil loads with the same port and data directory', () => {
    const volume = (pod.volumes as Array<{ name: string; configMap?: { name: string } }>).find(
      (v) => v.configMap?.name === configMap.metadata.name,
    );
    const mount = container.volumeMounts.find((m) => m.name === volume?.name);
    assert.ok(mount, 'the ConfigMap is mounted');
    const path = env('VIGIL_CONFIG')?.value;
    assert.equal(path, `${mount.mountPath}/vigil.yaml`);
    const config = parseConfig(configMap.data!['vigil.yaml']!, path, {});
    assert.equal(config.vigil.port, 8015);
    assert.equal(config.vigil.dataDir, env('VIGIL_DATA_DIR')?.value);
    assert.ok(config.scrapeConfigs.length > 0);
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('deploy/compose/docker-compose.observability.yml', () => {
  const compose = parse(readFileSync(new URL('docker-compose.observability.yml', COMPOSE), 'utf8')) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);
  // Relative paths in an overlay resolve from the first compose file's directory: the repository root.
  const fromRoot = (path: string) => new URL(path, ROOT);

  test('adds vigil, built from the repository, on 8015, with a health check on /readyz', () => {
    const vigil = compose.services.vigil!;
    assert.ok(existsSync(fromRoot(`${vigil.build!.context}/${vigil.build!.dockerfile}`)), 'the Dockerfile exists');
    assert.ok(vigil.ports?.includes('8015:8015'));
    assert.match(vigil.healthcheck!.test.join(' '), /localhost:8015\/readyz/);
  });

  test('every bind mount exists in the repository, every named volume is declared and used', () => {
    const used = new Set<string>();
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (source!.startsWith('./')) assert.ok(existsSync(fromRoot(source!)), `${name}: ${source} does not exist`);
        else {
          assert.ok(source! in compose.volumes, `${name}: volume ${source} is not declared`);
          used.add(source!);
        }
      }
    }
    assert.deepEqual([...used].sort(), Object.keys(compose.volumes).sort());
  });

  test('no two services publish the same host port, and depends_on names services of the file', () => {
    const hostPorts = services.flatMap(([, s]) => (s.ports ?? []).map((p) => p.split(':')[0]));
    assert.equal(new Set(hostPorts).size, hostPorts.length);
    for (const [name, service] of services) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        assert.ok(dependency in compose.services, `${name} depends on unknown ${dependency}`);
      }
    }
  });

  test('VIGIL_CONFIG is the mounted vigil.yaml, which Vigil loads with the mounted data directory', () => {
    const vigil = compose.services.vigil!;
    const mounts = new Map((vigil.volumes ?? []).map((v) => [v.split(':')[1], v.split(':')[0]] as const));
    const source = mounts.get(vigil.environment!.VIGIL_CONFIG);
    assert.ok(source, 'VIGIL_CONFIG is a mounted file');
    const config = parseConfig(readFileSync(fromRoot(source), 'utf8'), vigil.environment!.VIGIL_CONFIG, {});
    assert.equal(config.vigil.dataDir, vigil.environment!.VIGIL_DATA_DIR);
    assert.ok(mounts.has(config.vigil.dataDir), 'the data directory is a volume');
    for (const rules of config.ruleFiles) {
      assert.ok(
        [...mounts.keys()].some((target) => rules.startsWith(`${target}/`)),
        `rule files ${rules} are mounted`,
      );
    }
  });

  test('grafana gets the provisioning and the admin token the datasource sends', () => {
    const grafana = compose.services.grafana!;
    const targets = (grafana.volumes ?? []).map((v) => v.split(':')[1]);
    assert.ok(targets.includes('/etc/grafana/provisioning/datasources'));
    assert.ok(targets.includes('/etc/grafana/provisioning/dashboards'));
    assert.match(grafana.environment!.VIGIL_ADMIN_TOKEN!, /^\$\{VIGIL_ADMIN_TOKEN/);
    assert.equal(grafana.depends_on?.vigil?.condition, 'service_healthy');
  });
});
