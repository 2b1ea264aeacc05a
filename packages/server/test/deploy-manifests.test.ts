import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';

const DIR = new URL('../../../../deploy/kubernetes/', import.meta.url);

interface Probe {
  httpGet: { path: string; port: string };
}

test('every Kubernetes manifest parses, and the agent probes point at /healthz and /readyz', () => {
  const docs = readdirSync(DIR)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(new URL(file, DIR), 'utf8')).map((doc) => {
        assert.deepEqual(doc.errors, [], `${file}: ${doc.errors.join('; ')}`);
        const manifest = doc.toJS() as {
          apiVersion?: string;
          kind: string;
          metadata?: { name?: string };
          spec: Record<string, unknown>;
        };
        assert.ok(
          manifest.apiVersion && manifest.kind && manifest.metadata?.name,
          `${file}: apiVersion, kind, metadata.name`,
        );
        return manifest;
      }),
    );
  assert.deepEqual(docs.map((doc) => doc.kind).sort(), ['Deployment', 'Service', 'ServiceMonitor']);
  const deployment = docs.find((doc) => doc.kind === 'Deployment')!;
  const container = (deployment.spec as { template: { spec: { containers: Array<Record<string, Probe>> } } }).template
    .spec.containers[0]!;
  assert.equal(container.livenessProbe!.httpGet.path, '/healthz');
  assert.equal(container.readinessProbe!.httpGet.path, '/readyz');
  const ports = (container as unknown as { ports: Array<{ name: string; containerPort: number }> }).ports;
  assert.ok(
    ports.some((p) => p.name === container.livenessProbe!.httpGet.port),
    'probes use a declared port',
  );
  const service = docs.find((doc) => doc.kind === 'Service')!;
  for (const port of (service.spec as { ports: Array<{ targetPort: string }> }).ports) {
    assert.ok(
      ports.some((p) => p.name === port.targetPort),
      `Service targetPort ${port.targetPort} is a container port`,
    );
  }
  const monitor = docs.find((doc) => doc.kind === 'ServiceMonitor')!;
  assert.equal((monitor.spec as { endpoints: Array<{ path: string }> }).endpoints[0]!.path, '/metrics');
});
