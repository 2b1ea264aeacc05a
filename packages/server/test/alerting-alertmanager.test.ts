// End to end into a real Alertmanager (Debian package prometheus-alertmanager): Vigil posts alerts to its API v2,
// Alertmanager groups them and calls a local webhook; a resolved alert reaches the webhook as resolved.
// Alertmanager runs on the real clock, so this test does too (rules every second, a few seconds in all).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type RunningPeer, requireBinary, startAlertmanager } from '@vigil/test-peers';
import { alertingHarness, receiver, tempFiles } from './support/alerting-harness.js';

function installed(): boolean {
  try {
    requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');
    return true;
  } catch {
    return false;
  }
}

const skip = !installed() && 'prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('alerts into a real Alertmanager', { skip }, () => {
  let am: RunningPeer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    hook = await receiver();
    am = await startAlertmanager(`route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs: [{ url: '${hook.url}/am', send_resolved: true }]
`);
  });
  after(async () => {
    await am?.stop();
    await hook?.close();
  });

  test('a firing alert is accepted by POST /api/v2/alerts, notified by Alertmanager, then resolved', async () => {
    const address = new URL(am.url).host;
    const h = alertingHarness(
      `global: { external_labels: { cluster: eu } }
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['${address}'] }]
`,
      {
        'rules.yml': `groups:
  - name: fast
    interval: 1s
    rules:
      - alert: QueueDeep
        expr: queue_depth > 100
        labels: { severity: warning }
        annotations: { summary: 'queue at {{ $value | humanize }}' }
`,
      },
      { now: Date.now },
    );
    const sample = (v: number) => h.store.add({ __name__: 'queue_depth', job: 'ingest' }, Date.now(), v);
    sample(5000);
    await h.alerting.start();
    await h.alerting.tick();
    assert.equal(await h.metric('vigil_notifications_total', { receiver: 'alertmanager', result: 'success' }), 1);

    const inAm = await until(async () => {
      const alerts = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as {
        labels: Record<string, string>;
        annotations: Record<string, string>;
        status: { state: string };
      }[];
      return alerts.length > 0 ? alerts : undefined;
    }, 'the alert in Alertmanager');
    assert.deepEqual(inAm[0]!.labels, { alertname: 'QueueDeep', cluster: 'eu', job: 'ingest', severity: 'warning' });
    assert.equal(inAm[0]!.annotations.summary, 'queue at 5k');
    assert.equal(inAm[0]!.status.state, 'active');

    const firing = await until(
      () =>
        hook.bodies.length > 0
          ? (hook.bodies[0] as { status: string; alerts: { labels: Record<string, string> }[] })
          : undefined,
      "Alertmanager's webhook",
    );
    assert.equal(firing.status, 'firing');
    assert.equal(firing.alerts[0]!.labels.alertname, 'QueueDeep');

    // The queue drains: the next evaluation resolves the alert and Vigil sends it with endsAt = now.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sample(3);
    await h.alerting.tick();
    const resolved = await until(
      () =>
        hook.bodies.find((b) => (b as { status: string }).status === 'resolved') as
          | { alerts: { status: string }[] }
          | undefined,
      'the resolved notification',
    );
    assert.equal(resolved.alerts[0]!.status, 'resolved');
    await h.alerting.stop();
  });

  test('an Alertmanager that is down is retried with backoff and the failures are counted', async () => {
    const h = alertingHarness(
      `rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['127.0.0.1:1'] }]
`,
      { 'rules.yml': 'groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: vector(1)\n' },
      { delivery: { maxAttempts: 2 } },
    );
    await h.alerting.start();
    await h.alerting.tick();
    h.clock.advance(1000);
    await h.alerting.tick();
    assert.equal(await h.metric('vigil_notification_failures_total', { receiver: 'alertmanager' }), 2);
    assert.equal(await h.metric('vigil_notifications_total', { receiver: 'alertmanager', result: 'failed' }), 1);
    assert.ok(
      h.lines.some((l) => /notification to alertmanager 127\.0\.0\.1:1 failed after 2 attempt/.test(String(l.msg))),
    );
  });
});

describe('Alertmanager over TLS', () => {
  test('tls_config (ca_file, server_name) and basic_auth reach an https Alertmanager API', async () => {
    const dir = tempFiles({});
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=am.test',
          '-addext',
          'subjectAltName=DNS:am.test',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
    } catch {
      return; // no openssl: nothing to test with
    }
    const seen: { auth: string | undefined; body: unknown }[] = [];
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        let text = '';
        req.on('data', (c: Buffer) => {
          text += c;
        });
        req.on('end', () => {
          seen.push({ auth: req.headers.authorization, body: JSON.parse(text) });
          res.writeHead(200).end();
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    writeFileSync(join(dir, 'am-password'), 'pw\n');
    const h = alertingHarness(
      `rule_files: [rules.yml]
alerting:
  alertmanagers:
    - scheme: https
      path_prefix: /am/
      tls_config: { ca_file: ${join(dir, 'cert.pem')}, server_name: am.test }
      basic_auth: { username: vigil, password_file: ${join(dir, 'am-password')} }
      static_configs: [{ targets: ['127.0.0.1:${port}'] }]
`,
      { 'rules.yml': 'groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: vector(1)\n' },
    );
    await h.alerting.start();
    await h.alerting.tick();
    server.close();
    assert.equal(seen.length, 1, JSON.stringify(h.lines.filter((l) => l.level !== 'info')));
    assert.equal(seen[0]!.auth, `Basic ${Buffer.from('vigil:pw').toString('base64')}`);
    assert.equal((seen[0]!.body as { labels: Record<string, string> }[])[0]!.labels.alertname, 'Always');
  });
});
