import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isStale, MemoryQuerier } from '@vigil/promql';
import { createMetrics } from '@vigil/sdk/metrics';
import Fastify from 'fastify';
import { createAlerting } from '../src/alerting/index.js';
import { promqlEngine } from '../src/api/query-engine.js';
import { parseConfig } from '../src/config/index.js';
import { alertingHarness, capturingLogger, memorySink, testClock } from './support/alerting-harness.js';

const MIN = 60_000;
const CONFIG = 'global:\n  evaluation_interval: 1m\n  external_labels: { cluster: eu }\nrule_files: [rules.yml]\n';
const RULES = `groups:
  - name: api
    rules:
      - alert: ManyErrors
        expr: errors > 5
        for: 5m
        labels: { severity: page }
        annotations:
          summary: '{{ $labels.job }} has {{ $value }} errors'
      - record: job:errors:doubled
        expr: errors * 2
`;

// The value of `errors{job}` every minute from `from` to `to` (inclusive).
function errors(store: MemoryQuerier, job: string, from: number, to: number, value: number) {
  for (let t = from; t <= to; t += MIN) store.add({ __name__: 'errors', job }, t, value);
}

function latest(store: MemoryQuerier, name: string, at: number) {
  const out: { labels: Record<string, string>; v: number; stale?: boolean }[] = [];
  for (const s of store.select([{ type: '=', name: '__name__', value: name }], at, at)) {
    const it = s.samples();
    while (it.next())
      if (it.t === at)
        out.push({ labels: Object.fromEntries(s.labels.map((l) => [l.name, l.value])), v: it.v, stale: isStale(it.v) });
  }
  return out;
}

describe('rule evaluation: states, ALERTS series, recording rules', () => {
  test('inactive → pending → firing after for → resolved, with ALERTS and ALERTS_FOR_STATE written', async () => {
    const h = alertingHarness(CONFIG, { 'rules.yml': RULES });
    const t0 = h.clock.now();
    errors(h.store, 'api', t0 - 10 * MIN, t0 + 10 * MIN, 9);
    await h.alerting.start();
    await h.alerting.tick();
    const alert = () => h.alerting.rules.activeAlerts()[0];
    assert.equal(alert()?.state, 'pending');
    assert.deepEqual(alert()?.labels, { alertname: 'ManyErrors', job: 'api', severity: 'page' });
    assert.equal(alert()?.annotations.summary, 'api has 9 errors');
    assert.deepEqual(
      latest(h.store, 'ALERTS', t0),
      [],
      'the first evaluation after a start writes nothing until restored (as Prometheus)',
    );

    h.clock.advance(MIN);
    await h.alerting.tick();
    assert.deepEqual(latest(h.store, 'ALERTS', t0 + MIN), [
      {
        labels: { __name__: 'ALERTS', alertname: 'ManyErrors', alertstate: 'pending', job: 'api', severity: 'page' },
        v: 1,
        stale: false,
      },
    ]);
    assert.deepEqual(latest(h.store, 'ALERTS_FOR_STATE', t0 + MIN)[0]?.v, t0 / 1000);
    assert.deepEqual(latest(h.store, 'job:errors:doubled', t0 + MIN), [
      { labels: { __name__: 'job:errors:doubled', job: 'api' }, v: 18, stale: false },
    ]);

    h.clock.set(t0 + 5 * MIN);
    await h.alerting.tick();
    assert.equal(alert()?.state, 'firing');
    assert.equal(latest(h.store, 'ALERTS', t0 + 5 * MIN)[0]?.labels.alertstate, 'firing');
    const pendingSeries = h.store.select(
      [
        { type: '=', name: '__name__', value: 'ALERTS' },
        { type: '=', name: 'alertstate', value: 'pending' },
      ],
      t0 + 5 * MIN,
      t0 + 5 * MIN,
    );
    const marks = [...pendingSeries].flatMap((s) => {
      const it = s.samples();
      const out: boolean[] = [];
      while (it.next()) if (it.t === t0 + 5 * MIN) out.push(isStale(it.v)); // a NaN's bits do not survive an array
      return out;
    });
    assert.deepEqual(marks, [true], 'the pending series is marked stale once the alert fires');

    errors(h.store, 'api', t0 + 11 * MIN, t0 + 20 * MIN, 1);
    h.clock.set(t0 + 11 * MIN);
    await h.alerting.tick();
    assert.deepEqual(h.alerting.rules.activeAlerts(), [], 'resolved: no longer active');
    const history = await h.alerting.history.query({ alertname: 'ManyErrors' });
    assert.deepEqual(
      history.map((e) => [e.state, (e.ts - t0) / MIN]),
      [
        ['resolved', 11],
        ['firing', 5],
        ['pending', 0],
      ],
    );
    assert.ok(h.lines.some((l) => l.msg === 'alert ManyErrors firing'));
    await h.alerting.stop();
  });

  test('keep_firing_for keeps a firing alert after its expression stops matching', async () => {
    const rules = RULES.replace('for: 5m', 'for: 0s\n        keep_firing_for: 3m');
    const h = alertingHarness(CONFIG, { 'rules.yml': rules });
    const t0 = h.clock.now();
    errors(h.store, 'api', t0, t0 + MIN, 9);
    errors(h.store, 'api', t0 + 2 * MIN, t0 + 10 * MIN, 0);
    await h.alerting.start();
    await h.alerting.tick();
    assert.equal(h.alerting.rules.activeAlerts()[0]?.state, 'firing');
    for (const minute of [2, 4]) {
      h.clock.set(t0 + minute * MIN);
      await h.alerting.tick();
      assert.equal(h.alerting.rules.activeAlerts()[0]?.state, 'firing', `still firing at minute ${minute}`);
    }
    h.clock.set(t0 + 5 * MIN);
    await h.alerting.tick();
    assert.deepEqual(h.alerting.rules.activeAlerts(), []);
  });

  test('a failing rule reports err health, is counted and logged once, and degrades the check; other rules still run', async () => {
    const rules = `groups:\n  - name: g\n    rules:\n      - alert: Dup\n        expr: errors\n        labels: { job: same }\n      - record: fine\n        expr: errors\n`;
    const h = alertingHarness(CONFIG, { 'rules.yml': rules });
    const t0 = h.clock.now();
    errors(h.store, 'a', t0 - MIN, t0 + 5 * MIN, 1);
    errors(h.store, 'b', t0 - MIN, t0 + 5 * MIN, 1);
    await h.alerting.start();
    await h.alerting.tick();
    h.clock.advance(MIN);
    await h.alerting.tick();
    const group = h.alerting.rules.groups[0]!;
    const status = group.status.get(group.rules[0]!)!;
    assert.equal(status.health, 'err');
    assert.match(status.lastError, /same labelset after applying alert labels/);
    assert.equal(group.status.get(group.rules[1]!)!.health, 'ok');
    assert.equal(await h.metric('vigil_rule_evaluation_failures_total', { rule_group: 'g' }), 2);
    assert.equal(
      h.lines.filter((l) => String(l.msg).startsWith('rule Dup failed')).length,
      1,
      'the same error is logged once',
    );
    assert.equal(h.alerting.check().status, 'degraded');
  });
});

describe('restart and reload', () => {
  test('a firing alert is restored from ALERTS_FOR_STATE after a restart and fires again at once', async () => {
    const rules = RULES.replace('for: 5m', 'for: 15m');
    const store = new MemoryQuerier();
    const clock = testClock();
    const t0 = clock.now();
    errors(store, 'api', t0 - MIN, t0 + 60 * MIN, 9);
    const make = () => {
      const dir = alertingHarness(CONFIG, { 'rules.yml': rules }).dir;
      const config = parseConfig(CONFIG, join(dir, 'vigil.yaml'), {}, dir);
      return createAlerting({
        config,
        engine: promqlEngine(() => store),
        querier: () => store,
        sink: memorySink(store),
        logger: capturingLogger().logger,
        metrics: createMetrics({ defaultMetrics: false }),
        now: clock.now,
        silencesFile: false,
      });
    };
    const first = make();
    await first.start();
    for (let m = 0; m <= 20; m++) {
      clock.set(t0 + m * MIN);
      await first.tick();
    }
    assert.equal(first.rules.activeAlerts()[0]?.state, 'firing');
    await first.stop();

    // Down for 3 minutes, then a new process on the same store.
    clock.set(t0 + 23 * MIN);
    const second = make();
    await second.start();
    await second.tick();
    const restored = second.rules.activeAlerts()[0]!;
    assert.equal(restored.activeAt, t0, 'activeAt comes back from ALERTS_FOR_STATE');
    clock.advance(MIN);
    await second.tick();
    assert.equal(second.rules.activeAlerts()[0]?.state, 'firing', 'fires again without waiting another for: 15m');
  });

  test('an alert pending at the stop resumes with the downtime added; one close to firing gets the grace period', async () => {
    const rules = RULES.replace('for: 5m', 'for: 20m');
    const store = new MemoryQuerier();
    const clock = testClock();
    const t0 = clock.now();
    errors(store, 'api', t0 - MIN, t0 + 90 * MIN, 9);
    const dir = alertingHarness(CONFIG, { 'rules.yml': rules }).dir;
    const config = parseConfig(CONFIG, join(dir, 'vigil.yaml'), {}, dir);
    const make = () =>
      createAlerting({
        config,
        engine: promqlEngine(() => store),
        querier: () => store,
        sink: memorySink(store),
        logger: capturingLogger().logger,
        metrics: createMetrics({ defaultMetrics: false }),
        now: clock.now,
        silencesFile: false,
      });
    const first = make();
    await first.start();
    for (let m = 0; m <= 5; m++) {
      clock.set(t0 + m * MIN);
      await first.tick();
    }
    // Pending for 5 of 20 minutes; down 10 minutes: 15 minutes remain, more than the 10m grace period.
    clock.set(t0 + 15 * MIN);
    const second = make();
    await second.start();
    await second.tick();
    assert.equal(second.rules.activeAlerts()[0]!.activeAt, t0 + 10 * MIN, 'activeAt shifted by the 10 minutes down');
    // Pending 5 + 14 before the stop (1 minute left): the grace period of 10 minutes applies.
    const third = make();
    for (let m = 15; m <= 29; m++) {
      clock.set(t0 + m * MIN);
      await second.tick();
    }
    clock.set(t0 + 31 * MIN);
    await third.start();
    await third.tick();
    assert.equal(third.rules.activeAlerts()[0]!.activeAt, t0 + 31 * MIN + 10 * MIN - 20 * MIN);
  });

  test('a reload keeps the state of unchanged rules, resets changed ones and marks removed series stale', async () => {
    const h = alertingHarness(CONFIG, { 'rules.yml': RULES });
    const t0 = h.clock.now();
    errors(h.store, 'api', t0 - MIN, t0 + 30 * MIN, 9);
    await h.alerting.start();
    for (let m = 0; m <= 6; m++) {
      h.clock.set(t0 + m * MIN);
      await h.alerting.tick();
    }
    assert.equal(h.alerting.rules.activeAlerts()[0]?.state, 'firing');
    // Same alert, the recording rule removed, a new alert added.
    const next = `${RULES.split('      - record:')[0]}      - alert: Other\n        expr: errors > 100\n`;
    writeFileSync(join(h.dir, 'rules.yml'), next);
    await h.alerting.reload(h.config);
    assert.equal(h.alerting.rules.activeAlerts()[0]?.state, 'firing', 'unchanged rule keeps firing');
    const stale = latest(h.store, 'job:errors:doubled', t0 + 6 * MIN);
    assert.ok(
      stale.some((s) => s.stale),
      'the removed recording rule series is marked stale',
    );

    writeFileSync(
      join(h.dir, 'rules.yml'),
      'groups:\n  - name: api\n    rules:\n      - alert: Broken\n        expr: up ==\n',
    );
    await assert.rejects(
      h.alerting.reload(h.config),
      (e: Error & { code?: string }) => e.code === 'VIGIL_BAD_RULES' && /rules\.yml line 5/.test(e.message),
    );
    assert.equal(h.alerting.rules.groups[0]!.rules.length, 2, 'a bad file keeps the rules that ran');
  });
});

describe('the rules and alerts API in Prometheus shapes', () => {
  test('GET /api/v1/rules and /api/v1/alerts', async () => {
    const h = alertingHarness(CONFIG, { 'rules.yml': RULES });
    const t0 = h.clock.now();
    errors(h.store, 'api', t0 - MIN, t0 + 10 * MIN, 9);
    await h.alerting.start();
    await h.alerting.tick();
    const app = Fastify();
    await app.register(h.alerting.routes);
    const rules = (await app.inject('/api/v1/rules')).json();
    assert.equal(rules.status, 'success');
    const group = rules.data.groups[0];
    assert.equal(group.name, 'api');
    assert.equal(group.interval, 60);
    assert.equal(group.lastEvaluation, new Date(t0).toISOString());
    const [alerting, recording] = group.rules;
    assert.deepEqual(
      { ...alerting, evaluationTime: 0, lastEvaluation: '' },
      {
        state: 'pending',
        name: 'ManyErrors',
        query: 'errors > 5',
        labels: { severity: 'page' },
        health: 'ok',
        evaluationTime: 0,
        lastEvaluation: '',
        duration: 300,
        keepFiringFor: 0,
        annotations: { summary: '{{ $labels.job }} has {{ $value }} errors' },
        alerts: [
          {
            labels: { alertname: 'ManyErrors', job: 'api', severity: 'page' },
            annotations: { summary: 'api has 9 errors' },
            state: 'pending',
            activeAt: new Date(t0).toISOString(),
            value: '9e+00',
          },
        ],
        type: 'alerting',
      },
    );
    assert.equal(recording.type, 'recording');
    assert.deepEqual((await app.inject('/api/v1/rules?type=record')).json().data.groups[0].rules.length, 1);
    assert.equal((await app.inject('/api/v1/rules?type=nope')).statusCode, 400);
    const alerts = (await app.inject('/api/v1/alerts')).json();
    assert.equal(alerts.data.alerts[0].labels.alertname, 'ManyErrors');
    const history = (await app.inject('/api/vigil/alerts/history?alertname=ManyErrors')).json();
    assert.equal(history.data[0].state, 'pending');
    const reload = (await app.inject({ method: 'POST', url: '/api/vigil/rules/reload' })).json();
    assert.deepEqual(reload.data, { groups: 1, rules: 2 });
    await app.close();
  });
});
