import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { type RunningPeer, startPrometheus } from '@vigil/test-peers';
import { type RunningService, startService } from '../src/service/serve.js';
import { exposition } from './support/exposition-server.js';

// The check, through the whole service: what Vigil scrapes arrives in a real Prometheus
// (Debian package, --web.enable-remote-write-receiver) over remote write, same series and values.
let prometheus: RunningPeer;
let target: { server: Server; url: string };
let running: RunningService;
let dir = '';

before(async () => {
  prometheus = await startPrometheus(undefined, undefined, ['--web.enable-remote-write-receiver']);
  target = await exposition({ body: '# TYPE shipped_total counter\nshipped_total{kind="x"} 42\n' });
  dir = mkdtempSync(join(tmpdir(), 'vigil-service-rw-'));
  const config = join(dir, 'vigil.yaml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, external_labels: { cluster: test } }',
      'scrape_configs:',
      `  - job_name: shop`,
      `    static_configs: [{ targets: ['${new URL(target.url).host}'] }]`,
      'remote_write:',
      `  - url: ${prometheus.url}/api/v1/write`,
      '    queue_config: { batch_send_deadline: 200ms }',
    ].join('\n'),
  );
  running = await startService({
    env: { VIGIL_CONFIG: config, VIGIL_PORT: '0', VIGIL_DATA_DIR: join(dir, 'data') },
    logger: createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } }),
  });
});
after(async () => {
  await running?.stop();
  target?.server.close();
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('scraped samples reach Prometheus over remote write, with the external labels', async () => {
  const deadline = Date.now() + 20_000;
  let result: { metric: Record<string, string>; value: [number, string] }[] = [];
  while (Date.now() < deadline) {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=shipped_total`);
    result = ((await res.json()) as { data: { result: typeof result } }).data.result;
    if (result.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(result.length, 1, 'the series arrived');
  assert.deepEqual(result[0]!.metric, {
    __name__: 'shipped_total',
    cluster: 'test',
    instance: new URL(target.url).host,
    job: 'shop',
    kind: 'x',
  });
  assert.equal(result[0]!.value[1], '42');
});
