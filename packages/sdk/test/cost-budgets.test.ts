import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBudgets } from '../src/cost/index.js';
import { VigilError } from '../src/errors.js';
import { captureLogger } from './support/capture.js';
import { budgetsAt } from './support/cost-budgets.js';

const HOUR = 3_600_000;

describe('calendar budgets', () => {
  test('thresholds fire once each, exhaustion pauses once, and check() reports the exhausted budget', async () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'daily', limitUsd: 10, period: 'day', thresholds: [80, 95] }]);
    b.budgets.record({ costUsd: 7 });
    assert.equal(b.events().length, 0);
    b.budgets.record({ costUsd: 1.5 }); // 8.5: crosses 80%
    b.budgets.record({ costUsd: 0.1 }); // 8.6: nothing new
    b.budgets.record({ costUsd: 1 }); // 9.6: crosses 95%
    assert.deepEqual(
      b.events().map((e) => [e.event, e.threshold_percent, e.level]),
      [
        ['cost.daily_threshold', 80, 'warning'],
        ['cost.daily_threshold', 95, 'warning'],
      ],
    );
    assert.equal(b.budgets.check().allowed, true);

    b.budgets.record({ costUsd: 1 }); // 10.6: exhausted
    b.budgets.record({ costUsd: 1 });
    const events = b.events();
    assert.deepEqual(
      events.slice(2).map((e) => [e.event, e.threshold_percent]),
      [
        ['cost.daily_threshold', 100],
        ['cost.agent_paused', 100],
      ],
    );
    assert.equal(events[2]!.budget, 'daily');
    assert.equal(events[2]!.limit_usd, 10);
    assert.equal(events[2]!.since, '2026-03-10T00:00:00.000Z');
    assert.equal(b.pauses.length, 1);
    assert.equal(b.pauses[0]!.budget, 'daily');
    assert.equal(b.pauses[0]!.resetsAt, '2026-03-11T00:00:00.000Z');

    const check = b.budgets.check({ app: 'support', user: 'u1' });
    assert.equal(check.allowed, false);
    assert.deepEqual(
      check.exhausted.map((s) => [s.budget, s.remainingUsd]),
      [['daily', 0]],
    );
    assert.ok(Math.abs(check.exhausted[0]!.spentUsd - 11.6) < 1e-9);

    const crossed = await b.metric('vigil_budget_threshold_crossed_total');
    assert.deepEqual(
      crossed.map((s) => [s.labels.budget, s.labels.threshold, s.value]),
      [
        ['daily', '80', 1],
        ['daily', '95', 1],
        ['daily', '100', 1],
      ],
    );
    assert.deepEqual(
      (await b.metric('vigil_budget_paused_total')).map((s) => s.value),
      [1],
    );
    const remaining = await b.metric('vigil_budget_remaining_usd');
    assert.deepEqual(remaining[0]!.labels, { budget: 'daily', app: '' });
    assert.equal(remaining[0]!.value, 0);
    assert.equal((await b.metric('vigil_budget_limit_usd'))[0]!.value, 10);
  });

  test('a daily budget resets at 00:00 UTC and its thresholds fire again in the new day', async () => {
    const b = budgetsAt('2026-03-10T20:00:00Z', [{ name: 'daily', limitUsd: 10, period: 'day' }]);
    b.budgets.record({ costUsd: 12 });
    b.at('2026-03-10T23:59:59.999Z');
    assert.equal(b.budgets.check().allowed, false);
    b.at('2026-03-11T00:00:00.000Z');
    const fresh = b.budgets.check();
    assert.equal(fresh.allowed, true);
    assert.equal(fresh.budgets[0]!.spentUsd, 0);
    assert.equal(fresh.budgets[0]!.since, '2026-03-11T00:00:00.000Z');
    assert.equal((await b.metric('vigil_budget_spend_usd'))[0]!.value, 0, 'the gauge follows the reset');
    b.budgets.record({ costUsd: 8 });
    assert.deepEqual(
      b.events().map((e) => [e.event, e.threshold_percent, e.since]),
      [
        ['cost.daily_threshold', 80, '2026-03-10T00:00:00.000Z'],
        ['cost.daily_threshold', 95, '2026-03-10T00:00:00.000Z'],
        ['cost.daily_threshold', 100, '2026-03-10T00:00:00.000Z'],
        ['cost.agent_paused', 100, '2026-03-10T00:00:00.000Z'],
        ['cost.daily_threshold', 80, '2026-03-11T00:00:00.000Z'],
      ],
    );
  });

  test('a monthly budget warns with cost.monthly_warning and resets on the 1st, UTC', () => {
    const b = budgetsAt('2026-03-31T23:00:00Z', [{ name: 'monthly', limitUsd: 100, period: 'month', pause: false }]);
    b.budgets.record({ costUsd: 85 });
    b.budgets.record({ costUsd: 20 });
    assert.deepEqual(
      b.events().map((e) => [e.event, e.threshold_percent]),
      [
        ['cost.monthly_warning', 80],
        ['cost.monthly_warning', 95],
        ['cost.monthly_warning', 100],
      ],
      'one record crossing 95 and 100 fires both',
    );
    assert.deepEqual(b.pauses, [], 'pause: false never pauses');
    assert.equal(b.budgets.check().allowed, false, 'but check() still says exhausted');
    assert.equal(b.budgets.check().budgets[0]!.resetsAt, '2026-04-01T00:00:00.000Z');
    b.at('2026-04-01T00:00:00Z');
    assert.equal(b.budgets.check().allowed, true);
  });
});

describe('rolling windows', () => {
  test('spend slides out of a 24 h window and thresholds re-arm once spend falls below them', async () => {
    const b = budgetsAt('2026-03-10T00:00:00Z', [
      { name: 'last24h', limitUsd: 10, period: 'rolling', windowHours: 24 },
    ]);
    b.budgets.record({ costUsd: 6 });
    b.advance(12 * HOUR);
    b.budgets.record({ costUsd: 3 }); // 9: 80%
    assert.deepEqual(
      b.events().map((e) => [e.event, e.period, e.threshold_percent]),
      [['cost.daily_threshold', 'rolling', 80]],
    );
    b.advance(12 * HOUR - 1000);
    assert.equal(b.budgets.check().budgets[0]!.spentUsd, 9, 'the first call is still inside the window');
    b.advance(1000);
    const slid = b.budgets.check().budgets[0]!;
    assert.equal(slid.spentUsd, 3, 'the first call left the window');
    assert.equal(slid.since, '2026-03-10T00:00:00.000Z');
    b.budgets.record({ costUsd: 5 }); // 8: 80% again
    assert.equal(b.events().length, 2);
    b.advance(12 * HOUR);
    b.budgets.refresh();
    assert.equal((await b.metric('vigil_budget_spend_usd'))[0]!.value, 5, 'refresh() slides the gauges too');
    assert.equal(b.budgets.check().budgets[0]!.spentUsd, 5);
    b.advance(12 * HOUR);
    assert.equal(b.budgets.check().budgets[0]!.spentUsd, 0);
  });
});

describe('scopes', () => {
  test('a per-app budget gives each app its own spend and gauges labelled by app', async () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'per-app', limitUsd: 1, period: 'day', per: 'app' }]);
    b.budgets.record({ costUsd: 1, app: 'support' });
    b.budgets.record({ costUsd: 0.25, app: 'billing' });
    b.budgets.record({ costUsd: 5 }); // no app: a per-app budget does not count it
    assert.equal(b.budgets.check({ app: 'support' }).allowed, false);
    assert.equal(b.budgets.check({ app: 'billing' }).allowed, true);
    assert.equal(b.budgets.check({ app: 'billing' }).budgets[0]!.remainingUsd, 0.75);
    assert.equal(b.budgets.check({}).budgets.length, 0, 'a call with no app is not covered');
    assert.equal(b.pauses[0]!.app, 'support');
    const spend = await b.metric('vigil_budget_spend_usd');
    assert.deepEqual(spend.map((s) => [s.labels.app, s.value]).sort(), [
      ['billing', 0.25],
      ['support', 1],
    ]);
  });

  test('a per-user budget never puts user ids in metric labels, but its events say which user', async () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [
      { name: 'per-user', limitUsd: 2, period: 'day', per: 'user' },
      { name: 'support-only', limitUsd: 100, period: 'month', app: 'support' },
    ]);
    b.budgets.record({ costUsd: 2.5, user: 'u1', app: 'support' });
    b.budgets.record({ costUsd: 1, user: 'u2', app: 'other' });
    assert.equal(b.budgets.check({ user: 'u1', app: 'support' }).allowed, false);
    const u2 = b.budgets.check({ user: 'u2', app: 'support' });
    assert.equal(u2.allowed, true);
    assert.deepEqual(
      u2.budgets.map((s) => [s.budget, s.spentUsd]),
      [
        ['per-user', 1],
        ['support-only', 2.5],
      ],
    );
    const paused = b.events().find((e) => e.event === 'cost.agent_paused');
    assert.equal(paused?.user, 'u1');
    for (const name of [
      'vigil_budget_spend_usd',
      'vigil_budget_remaining_usd',
      'vigil_budget_threshold_crossed_total',
    ]) {
      for (const sample of await b.metric(name)) {
        assert.ok(!Object.values(sample.labels).includes('u1'), `${name} has no user label`);
        if (!name.endsWith('_total')) assert.notEqual(sample.labels.budget, 'per-user', `${name}: no per-user gauge`);
      }
    }
    assert.deepEqual(
      (await b.metric('vigil_budget_threshold_crossed_total')).map((s) => [
        s.labels.budget,
        s.labels.threshold,
        s.value,
      ]),
      [
        ['per-user', '80', 1],
        ['per-user', '95', 1],
        ['per-user', '100', 1],
      ],
      'the counter counts crossings of every user under the budget name',
    );
  });
});

describe('float sums', () => {
  test('0.1 + 0.7 reaches 80% of $1 although the float sum is 0.7999999999999999', () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'daily', limitUsd: 1, period: 'day', thresholds: [80] }]);
    b.budgets.record({ costUsd: 0.1 });
    b.budgets.record({ costUsd: 0.7 });
    assert.deepEqual(
      b.events().map((e) => e.threshold_percent),
      [80],
    );
    b.budgets.record({ costUsd: 0.1 });
    b.budgets.record({ costUsd: 0.1 }); // 0.9999999999999999: exhausted
    assert.equal(b.budgets.check().allowed, false);
  });
});

describe('memory', () => {
  test("a per-user budget tracks at most maxTrackedPerBudget users, and forgets the last period's users", () => {
    const { log } = captureLogger();
    let now = Date.parse('2026-03-10T12:00:00Z');
    const budgets = createBudgets({
      budgets: [{ name: 'per-user', limitUsd: 1, period: 'day', per: 'user' }],
      now: () => now,
      logger: log,
      metrics: false,
      maxTrackedPerBudget: 2,
    });
    budgets.record({ costUsd: 1, user: 'u1' });
    budgets.record({ costUsd: 1, user: 'u2' });
    budgets.record({ costUsd: 1, user: 'u3' }); // a third user: not counted, so not stopped
    assert.equal(budgets.check({ user: 'u3' }).allowed, true);
    assert.equal(budgets.check({ user: 'u1' }).allowed, false);
    now = Date.parse('2026-03-11T01:00:00Z');
    budgets.record({ costUsd: 1, user: 'u3' }); // a new day: yesterday's users are gone, u3 fits
    assert.equal(budgets.check({ user: 'u3' }).allowed, false);
    budgets.record({ costUsd: 1, user: 'u4' });
    assert.equal(budgets.check({ user: 'u4' }).allowed, false);
  });
});

describe('safety', () => {
  test('recording never throws: bad costs are ignored and a throwing pause hook is logged', () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'daily', limitUsd: 1, period: 'day' }], () => {
      throw new Error('hook bug');
    });
    assert.doesNotThrow(() => {
      b.budgets.record({ costUsd: null });
      b.budgets.record({ costUsd: Number.NaN });
      b.budgets.record({ costUsd: -1 });
      b.budgets.record(null as never);
      b.budgets.record({ costUsd: 2 });
      b.budgets.check(null as never);
    });
    assert.equal(b.budgets.check().budgets[0]!.spentUsd, 2);
    assert.ok(b.lines().some((line) => line.level === 'error' && /onPause hook threw/.test(String(line.msg))));
    assert.ok(b.lines().some((line) => /not a number >= 0/.test(String(line.msg))));
  });

  test('bad budget settings throw VIGIL_BAD_OPTION naming the field', () => {
    const day = { name: 'd', limitUsd: 1, period: 'day' } as const;
    const cases: [unknown, RegExp][] = [
      [[{ ...day, limitUsd: -1 }], /budgets\[0\]\.limitUsd must be a positive number of USD, got -1/],
      [[{ ...day, period: 'week' }], /budgets\[0\]\.period must be "day", "month" or "rolling", got "week"/],
      [[{ ...day, period: 'rolling' }], /budgets\[0\]\.windowHours must be a positive number of hours/],
      [[{ ...day, windowHours: 24 }], /budgets\[0\]\.windowHours must be absent unless/],
      [[{ ...day, thresholds: [80, 120] }], /budgets\[0\]\.thresholds\[1\] must be a percentage/],
      [[day, day], /budgets\[1\]\.name must be unique/],
      [[{ ...day, name: 'has space' }], /budgets\[0\]\.name must be/],
      [[{ ...day, per: 'team' }], /budgets\[0\]\.per must be "app" or "user"/],
      [[{ ...day, limit: 3 }], /budgets\[0\]\.limit must be one of the fields/],
      ['nope', /budgets must be an array/],
    ];
    for (const [budgets, message] of cases) {
      assert.throws(
        () => createBudgets({ budgets: budgets as never, metrics: false }),
        (e: unknown) => e instanceof VigilError && e.code === 'VIGIL_BAD_OPTION' && message.test(e.message),
        String(message),
      );
    }
  });
});

describe('restoring spend after a restart', () => {
  test('earlier calls of the current periods count, thresholds they crossed do not fire again, the next one does', async () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [
      { name: 'daily', limitUsd: 1, period: 'day', thresholds: [80] },
      { name: 'monthly', limitUsd: 100, period: 'month', thresholds: [50] },
      { name: 'rolling', limitUsd: 10, period: 'rolling', windowHours: 24, thresholds: [50] },
      { name: 'per-app', limitUsd: 0.5, period: 'day', per: 'app' },
    ]);
    const counted = b.budgets.restore([
      { at: '2026-03-10T09:00:00Z', costUsd: 0.6, app: 'support', user: 'u1' },
      { at: Date.parse('2026-03-10T10:00:00Z'), costUsd: 0.25, app: 'billing' },
      { at: new Date('2026-03-09T20:00:00Z'), costUsd: 2 }, // yesterday: the month and the last 24 h
      { at: '2026-03-09T08:00:00Z', costUsd: 4 }, // yesterday, 28 h ago: the month only
      { at: '2026-02-28T23:00:00Z', costUsd: 50 }, // last month: nothing
      { at: '2026-03-10T13:00:00Z', costUsd: 9 }, // after now: nothing
      { at: '2026-03-10T11:00:00Z', costUsd: null }, // no cost: nothing
      { at: 'not a time', costUsd: 1 },
    ]);
    assert.equal(counted, 4);
    const spent = Object.fromEntries(b.budgets.check({ app: 'support' }).budgets.map((s) => [s.budget, s.spentUsd]));
    assert.deepEqual(Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v * 100) / 100])), {
      daily: 0.85,
      monthly: 6.85,
      rolling: 2.85,
      'per-app': 0.6,
    });
    assert.equal(b.budgets.check({ app: 'support' }).allowed, false, 'per-app support is over its 0.5');
    assert.equal(b.budgets.check({ app: 'billing' }).allowed, true);
    assert.deepEqual(
      b.events().map((e) => [e.event, e.budget, e.threshold_percent, e.app]),
      [
        ['cost.daily_threshold', 'per-app', 100, 'support'],
        ['cost.agent_paused', 'per-app', 100, 'support'],
      ],
      "warnings crossed before the restart do not fire again; an exhausted budget pauses again (the last process's pause is gone)",
    );
    assert.deepEqual(
      b.pauses.map((p) => [p.budget, p.app]),
      [['per-app', 'support']],
    );
    assert.ok(b.lines().some((l) => l.msg === 'budgets: 4 earlier calls counted toward the current periods'));
    const gauge = await b.metric('vigil_budget_spend_usd');
    assert.ok(gauge.some((s) => s.labels.budget === 'daily' && Math.abs(s.value - 0.85) < 1e-9));

    b.budgets.record({ costUsd: 0.2, app: 'billing' }); // daily 1.05: exhausted now; billing 0.45 of 0.5
    assert.deepEqual(
      b
        .events()
        .slice(2)
        .map((e) => [e.event, e.budget, e.threshold_percent]),
      [
        ['cost.daily_threshold', 'daily', 100],
        ['cost.agent_paused', 'daily', 100],
        ['cost.daily_threshold', 'per-app', 80],
      ],
    );
    assert.equal(b.budgets.restore([{ at: '2026-03-10T11:00:00Z', costUsd: 5 }]), 0, 'once, before record()');
    assert.ok(b.lines().some((l) => l.level === 'warning' && String(l.msg).includes('restore() runs once')));
    assert.ok(Math.abs(b.budgets.check().budgets[0]!.spentUsd - 1.05) < 1e-9);
  });

  test('bad input is skipped or warned about, never thrown', () => {
    const b = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'daily', limitUsd: 1, period: 'day' }]);
    assert.equal(b.budgets.restore(42 as never), 0);
    const c = budgetsAt('2026-03-10T12:00:00Z', [{ name: 'daily', limitUsd: 1, period: 'day' }]);
    assert.equal(c.budgets.restore([null as never, { at: 1, costUsd: -1 }, { at: Number.NaN, costUsd: 1 }]), 0);
    assert.equal(c.budgets.check().budgets[0]!.spentUsd, 0);
    assert.ok(
      b
        .lines()
        .some((l) => l.level === 'warning' && String(l.msg).startsWith('budgets: restoring earlier spend failed')),
    );
    assert.equal(b.budgets.check().budgets[0]!.spentUsd, 0);
  });
});
