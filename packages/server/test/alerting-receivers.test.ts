import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { MemoryQuerier } from '@vigil/promql';
import Fastify from 'fastify';
import { parseConfig } from '../src/config/index.js';
import { type AlertingHarness, alertingHarness, receiver } from './support/alerting-harness.js';

const MIN = 60_000;
const RULES = `groups:
  - name: g
    rules:
      - alert: Critical
        expr: errors{job="api"} > 5
        labels: { severity: critical }
        annotations: { summary: 'api errors at {{ $value }}' }
      - alert: OpsWarn
        expr: errors{job="ops"} > 5
        labels: { team: ops }
      - alert: Plain
        expr: errors{job="plain"} > 5
        annotations: { summary: 'plain is {{ $value }}' }
`;

// biome-ignore lint/suspicious/noExplicitAny: payloads are checked field by field by the assertions.
type Json = any;
type Receiver = Awaited<ReturnType<typeof receiver>>;

function yaml(hook: string, discord: string, slack: string, extra = ''): string {
  return `global: { evaluation_interval: 1m }
rule_files: [rules.yml]
vigil:
  notifications:
    external_url: http://vigil.test:8015
    route:
      receiver: hook
      group_by: [alertname]
      group_wait: 30s
      group_interval: 5m
      repeat_interval: 1h
      routes:
        - matchers: ['severity="critical"']
          receiver: chat
          continue: true
        - matchers: ['team=~"ops|sre"']
          receiver: slack
    receivers:
      - name: hook
        webhook_configs: [{ url: '${hook}/hook' }]
      - name: chat
        discord_configs: [{ webhook_url: '${discord}/api/webhooks/1/secret-token' }]
      - name: slack
        slack_configs: [{ api_url: '${slack}/services/T0/B0/secret', channel: '#alerts' }]
${extra}`;
}

function series(store: MemoryQuerier, job: string, from: number, to: number, value: number) {
  for (let t = from; t <= to; t += MIN) store.add({ __name__: 'errors', job }, t, value);
}

async function at(h: AlertingHarness, ms: number) {
  h.clock.set(ms);
  await h.alerting.tick();
}

describe('direct receivers: routing, grouping, resolved notifications', () => {
  let hook: Receiver;
  let discord: Receiver;
  let slack: Receiver;
  before(async () => {
    [hook, discord, slack] = await Promise.all([receiver(), receiver(), receiver()]);
  });
  after(async () => {
    await Promise.all([hook.close(), discord.close(), slack.close()]);
  });
  beforeEach(() => {
    for (const r of [hook, discord, slack]) {
      r.bodies.length = 0;
      r.paths.length = 0;
    }
  });

  test('each alert reaches the receivers its route names, after group_wait, in each format', async () => {
    const h = alertingHarness(yaml(hook.url, discord.url, slack.url), { 'rules.yml': RULES });
    const t0 = h.clock.now();
    series(h.store, 'api', t0 - MIN, t0 + 90 * MIN, 9);
    series(h.store, 'ops', t0 - MIN, t0 + 90 * MIN, 9);
    series(h.store, 'plain', t0 - MIN, t0 + MIN, 9);
    series(h.store, 'plain', t0 + 2 * MIN, t0 + 30 * MIN, 0);
    await h.alerting.start();
    await at(h, t0);
    assert.equal(hook.bodies.length + discord.bodies.length + slack.bodies.length, 0, 'nothing before group_wait');
    await at(h, t0 + 30_000);

    assert.equal(hook.bodies.length, 1);
    const webhook = hook.bodies[0] as Json;
    assert.equal(webhook.version, '4');
    assert.equal(webhook.status, 'firing');
    assert.equal(webhook.receiver, 'hook');
    assert.deepEqual(webhook.groupLabels, { alertname: 'Plain' });
    assert.equal(webhook.groupKey, '{}:{alertname="Plain"}');
    assert.equal(webhook.externalURL, 'http://vigil.test:8015');
    assert.equal(webhook.truncatedAlerts, 0);
    assert.deepEqual(webhook.alerts[0].labels, { alertname: 'Plain', job: 'plain' });
    assert.equal(webhook.alerts[0].status, 'firing');
    assert.equal(webhook.alerts[0].annotations.summary, 'plain is 9');
    assert.match(webhook.alerts[0].generatorURL, /^http:\/\/vigil\.test:8015\/graph\?g0\.expr=/);
    assert.match(webhook.alerts[0].fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(webhook.alerts[0].startsAt, new Date(t0).toISOString());

    // Critical goes to Discord (continue: true, and no team label for the next route).
    assert.equal(discord.bodies.length, 1);
    assert.equal(discord.paths[0], '/api/webhooks/1/secret-token');
    const embed = (discord.bodies[0] as Json).embeds[0];
    assert.equal(embed.title, '[FIRING:1] Critical');
    assert.equal(embed.description, 'api errors at 9');
    assert.equal(embed.color, 0x992d22);

    // OpsWarn (team=ops) goes to Slack.
    assert.equal(slack.bodies.length, 1);
    const slackBody = slack.bodies[0] as Json;
    assert.equal(slackBody.channel, '#alerts');
    assert.equal(slackBody.attachments[0].color, 'danger');
    assert.equal(slackBody.attachments[0].title, '[FIRING:1] OpsWarn');
    assert.equal(await h.metric('vigil_notifications_total', { receiver: 'hook', result: 'success' }), 1);

    // Plain resolves at minute 2; the hook hears it at the group's next flush (group_interval after the first).
    await at(h, t0 + 2 * MIN);
    assert.equal(hook.bodies.length, 1);
    await at(h, t0 + 30_000 + 5 * MIN);
    assert.equal(hook.bodies.length, 2);
    const resolved = hook.bodies[1] as Json;
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.alerts[0].status, 'resolved');
    assert.equal(resolved.alerts[0].endsAt, new Date(t0 + 2 * MIN).toISOString());
    // Slack does not send resolved notifications unless send_resolved: true (Alertmanager's default); Discord does.
    assert.equal(slack.bodies.length, 1);

    // Unchanged firing groups are repeated only after repeat_interval (1h).
    const counts = () => [discord.bodies.length, slack.bodies.length];
    for (let m = 6; m <= 40; m++) await at(h, t0 + m * MIN);
    assert.deepEqual(counts(), [1, 1]);
    for (let m = 41; m <= 66; m++) await at(h, t0 + m * MIN);
    assert.deepEqual(counts(), [2, 2]);
    await h.alerting.stop();
  });

  test('a silenced alert is not notified; once the silence expires it is', async () => {
    const h = alertingHarness(yaml(hook.url, discord.url, slack.url), { 'rules.yml': RULES });
    const t0 = h.clock.now();
    series(h.store, 'plain', t0 - MIN, t0 + 30 * MIN, 9);
    const app = Fastify();
    await app.register(h.alerting.routes);
    const created = await app.inject({
      method: 'POST',
      url: '/api/vigil/silences',
      payload: {
        matchers: [{ name: 'alertname', value: 'Plain', isRegex: false }],
        startsAt: new Date(t0).toISOString(),
        endsAt: new Date(t0 + 10 * MIN).toISOString(),
        createdBy: 'ops@example.com',
        comment: 'maintenance',
      },
    });
    assert.equal(created.statusCode, 200, created.body);
    const id = created.json().data.silenceID as string;
    await h.alerting.start();
    await at(h, t0);
    await at(h, t0 + 30_000);
    assert.equal(hook.bodies.length, 0, 'silenced');
    const list = (await app.inject('/api/vigil/silences')).json().data;
    assert.equal(list[0].status.state, 'active');
    assert.equal(list[0].createdBy, 'ops@example.com');
    const expired = await app.inject({ method: 'DELETE', url: `/api/vigil/silences/${id}` });
    assert.equal(expired.json().data.status.state, 'expired');
    await at(h, t0 + 30_000 + 5 * MIN);
    assert.equal(hook.bodies.length, 1, 'notified at the next group_interval once the silence is gone');
    await app.close();
    await h.alerting.stop();
  });
});

describe('routing details', () => {
  test('continue sends one alert to two receivers; max_alerts truncates; slack send_resolved: true sends the resolution', async () => {
    const [hook, discord, slack] = await Promise.all([receiver(), receiver(), receiver()]);
    const config = yaml(hook.url, discord.url, slack.url)
      .replace("webhook_configs: [{ url: '", "webhook_configs: [{ max_alerts: 1, url: '")
      .replace("channel: '#alerts' }]", "channel: '#alerts', send_resolved: true }]")
      .replace('group_by: [alertname]', 'group_by: []');
    const rules = `groups:
  - name: g
    rules:
      - alert: Both
        expr: errors{job="both"} > 5
        labels: { severity: critical, team: sre }
      - alert: Many
        expr: errors{job=~"m.*"} > 5
`;
    const h = alertingHarness(config, { 'rules.yml': rules });
    const t0 = h.clock.now();
    series(h.store, 'both', t0 - MIN, t0 + MIN, 9);
    for (const job of ['m1', 'm2', 'm3']) series(h.store, job, t0 - MIN, t0 + 30 * MIN, 9);
    await h.alerting.start();
    await at(h, t0);
    await at(h, t0 + 30_000);
    assert.equal(discord.bodies.length, 1, 'critical: Discord');
    assert.equal(slack.bodies.length, 1, 'and, with continue, team=sre: Slack');
    const webhook = hook.bodies[0] as Json;
    assert.equal(webhook.alerts.length, 1);
    assert.equal(webhook.truncatedAlerts, 2);
    assert.deepEqual(webhook.groupLabels, {});
    series(h.store, 'both', t0 + 2 * MIN, t0 + 30 * MIN, 0);
    await at(h, t0 + 2 * MIN);
    await at(h, t0 + 30_000 + 5 * MIN);
    assert.equal(slack.bodies.length, 2);
    assert.equal((slack.bodies[1] as Json).attachments[0].color, 'good');
    assert.equal((slack.bodies[1] as Json).attachments[0].title, '[RESOLVED] Both');
    await Promise.all([hook.close(), discord.close(), slack.close()]);
  });
});

describe('delivery: retries with backoff, failures counted and logged, never silent', () => {
  test('a receiver that fails twice then recovers gets the notification; the attempts are counted and logged', async () => {
    const flaky = await receiver([500, 503]);
    const h = alertingHarness(yaml(flaky.url, flaky.url, flaky.url), { 'rules.yml': RULES });
    const t0 = h.clock.now();
    series(h.store, 'plain', t0 - MIN, t0 + 30 * MIN, 9);
    await h.alerting.start();
    await at(h, t0);
    await at(h, t0 + 30_000);
    assert.equal(flaky.bodies.length, 0);
    await at(h, t0 + 31_000);
    assert.equal(flaky.bodies.length, 0, 'second attempt after 1 s fails too');
    await at(h, t0 + 32_000);
    assert.equal(flaky.bodies.length, 0, 'the third waits 2 s');
    await at(h, t0 + 33_000);
    assert.equal(flaky.bodies.length, 1);
    assert.equal(await h.metric('vigil_notification_failures_total', { receiver: 'hook' }), 2);
    assert.equal(await h.metric('vigil_notifications_total', { receiver: 'hook', result: 'success' }), 1);
    const warnings = h.lines.filter((l) => String(l.msg).includes('failed (HTTP 50'));
    assert.equal(warnings.length, 2);
    assert.match(
      String(warnings[0]!.msg),
      /notification to hook\/webhook\[0\] failed \(HTTP 500\), attempt 1 of 6; retrying in 1000 ms/,
    );
    assert.ok(h.lines.some((l) => /delivered after 3 attempts/.test(String(l.msg))));
    assert.ok(!JSON.stringify(h.lines).includes(flaky.url), 'receiver URLs (tokens) never reach the log');
    await flaky.close();
  });

  test('an unreachable receiver is retried, then given up with an error log and a failed count; the group retries later', async () => {
    const gone = await receiver();
    await gone.close();
    const h = alertingHarness(
      yaml(gone.url, gone.url, gone.url),
      { 'rules.yml': RULES },
      { delivery: { maxAttempts: 3 } },
    );
    const t0 = h.clock.now();
    series(h.store, 'plain', t0 - MIN, t0 + 30 * MIN, 9);
    await h.alerting.start();
    await at(h, t0);
    for (const s of [30, 31, 33]) await at(h, t0 + s * 1000);
    assert.equal(await h.metric('vigil_notification_failures_total', { receiver: 'hook' }), 3);
    assert.equal(await h.metric('vigil_notifications_total', { receiver: 'hook', result: 'failed' }), 1);
    assert.ok(
      h.lines.some(
        (l) => l.level === 'error' && /failed after 3 attempt\(s\) \(ECONNREFUSED\): given up/.test(String(l.msg)),
      ),
    );
    assert.equal(h.alerting.check().status, 'degraded');
    // Nothing was recorded as notified, so the next flush sends again.
    await at(h, t0 + 30_000 + 5 * MIN);
    assert.equal(await h.metric('vigil_notification_failures_total', { receiver: 'hook' }), 4);
  });

  test('a full queue refuses the job, counts an overflow and logs it', async () => {
    const gone = await receiver();
    await gone.close();
    const h = alertingHarness(
      yaml(gone.url, gone.url, gone.url),
      { 'rules.yml': RULES },
      { delivery: { capacity: 1 } },
    );
    const t0 = h.clock.now();
    series(h.store, 'plain', t0 - MIN, t0 + 30 * MIN, 9);
    series(h.store, 'ops', t0 - MIN, t0 + 30 * MIN, 9);
    await h.alerting.start();
    await at(h, t0);
    await at(h, t0 + 30_000);
    assert.equal(
      (await h.metric('vigil_notifications_total', { result: 'overflow' })) > 0,
      true,
      'two groups, room for one notification',
    );
    assert.ok(h.lines.some((l) => /not queued: the queue holds 1 notifications already/.test(String(l.msg))));
  });
});

describe('vigil.notifications configuration', () => {
  const bad: [string, RegExp][] = [
    ['vigil:\n  notifications:\n    receivers: [{ name: a }]\n', /a route is required when receivers are configured/],
    [
      'vigil:\n  notifications:\n    route: { receiver: nobody }\n    receivers: [{ name: a }]\n',
      /line 3: vigil\.notifications\.route\.receiver: no receiver is named "nobody"/,
    ],
    [
      'vigil:\n  notifications:\n    route: { receiver: a, routes: [{ matchers: [\'severity=~"("\'] }] }\n    receivers: [{ name: a }]\n',
      /invalid regex/,
    ],
    [
      'vigil:\n  notifications:\n    inhibit_rules: []\n',
      /inhibit_rules is an Alertmanager feature Vigil does not have/,
    ],
    [
      'vigil:\n  notifications:\n    route: { receiver: a }\n    receivers: [{ name: a, webhook_configs: [{ url: "not a url?token=s3cret" }] }]\n',
      /webhook_configs\[0\]\.url: expected an http\(s\) URL/,
    ],
    [
      'vigil:\n  notifications:\n    route: { receiver: a, group_wait: 0 }\n    receivers: [{ name: a }]\n',
      /group_wait: must be greater than 0/,
    ],
  ];
  for (const [text, re] of bad) {
    test(`refused: ${re.source}`, () => {
      assert.throws(
        () => parseConfig(text, 'vigil.yaml', {}, '/tmp'),
        (e: Error) => re.test(e.message) && !e.message.includes('s3cret'),
      );
    });
  }

  test('children inherit group_by and timings; "..." groups by every label', () => {
    const config = parseConfig(
      "vigil:\n  notifications:\n    route:\n      receiver: a\n      group_by: ['...']\n      group_wait: 10s\n      routes: [{ matchers: ['x=\"1\"'], repeat_interval: 2h }]\n    receivers: [{ name: a }]\n",
      'vigil.yaml',
      {},
      '/tmp',
    );
    const child = config.notifications.route!.routes[0]!;
    assert.equal(child.groupBy, 'all');
    assert.equal(child.groupWaitMs, 10_000);
    assert.equal(child.repeatIntervalMs, 7_200_000);
    assert.equal(child.receiver, 'a');
  });
});
