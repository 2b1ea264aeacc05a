import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  budgetRemaining,
  burnRate,
  projectMonthEnd,
  type SpendBucket,
  type SpendRow,
  spendByPeriod,
} from '@vigil/sdk/cost';
import type { InvocationInput } from '@vigil/store';
import { openSqliteStore } from '@vigil/store/sqlite';
import Fastify from 'fastify';
import { recordQueryRoutes } from '../src/records/record-query-routes.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The evaluation time: Monday 2026-11-23 12:00 UTC, 7.5 days before the month ends. */
const NOW = Date.UTC(2026, 10, 23, 12);

// Costs exact in binary, so every sum is exact whatever order the store and the SDK add in.
const call = (id: string, at: string, cost_usd: number | null, app_id: string, user_id: string): InvocationInput => ({
  id,
  ts: Date.parse(at),
  cost_usd,
  app_id,
  user_id,
  task_type: 'chat',
});
const CALLS = [
  call('october', '2026-10-30T10:00:00.000Z', 8, 'app-a', 'user-1'),
  call('month-start', '2026-11-01T00:00:00.000Z', 1, 'app-a', 'user-1'),
  call('window-edge', '2026-11-16T12:00:00.000Z', 2, 'app-b', 'user-2'),
  call('in-window', '2026-11-16T12:00:00.001Z', 0.5, 'app-a', 'user-2'),
  call('unpriced', '2026-11-20T09:00:00.000Z', null, 'app-a', 'user-1'),
  call('late-sunday', '2026-11-22T23:00:00.000Z', 4, 'app-b', 'user-1'),
  call('midnight', '2026-11-23T00:00:00.000Z', 0.25, 'app-a', 'user-1'),
  call('at-now', '2026-11-23T12:00:00.000Z', 0.125, 'app-a', 'user-2'),
  call('after-now', '2026-11-23T12:00:00.001Z', 16, 'app-a', 'user-1'),
];
/** The same calls as the SDK's spend functions read them. */
const rows = (app?: string, user?: string): SpendRow[] =>
  CALLS.filter((c) => (app === undefined || c.app_id === app) && (user === undefined || c.user_id === user)).map(
    (c) => ({ at: c.ts as number, costUsd: c.cost_usd, app: c.app_id as string, user: c.user_id as string }),
  );
const snake = (b: SpendBucket) => ({
  start: b.start,
  start_ms: b.startMs,
  spend_usd: b.spendUsd,
  calls: b.calls,
  unpriced_calls: b.unpricedCalls,
});
const bucket = (start: string, spend_usd: number, calls: number, unpriced_calls = 0) => ({
  start,
  start_ms: Date.parse(start),
  spend_usd,
  calls,
  unpriced_calls,
});

// One store and server for the file: every case reads the same calls and writes nothing.
const dir = mkdtempSync(join(tmpdir(), 'vigil-spend-'));
const store = await openSqliteStore(join(dir, 'vigil.db'));
await store.invocations.insertBatch(CALLS);
const app = Fastify({ logger: false });
await app.register(recordQueryRoutes, { store, now: () => NOW });
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function spend(query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/vigil/invocations/spend?${query}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /api/vigil/invocations/spend', () => {
  test('weeks from Monday between since and until, empty weeks as zeros, equal to the SDK spendByPeriod', async () => {
    const range = 'since=2026-11-01T00:00:00Z&until=2026-11-23T00:00:00Z';
    const { status, body } = await spend(`period=week&${range}&time=2026-11-23T12:00:00Z&window=4d`);
    assert.equal(status, 200);
    assert.equal(body.period, 'week');
    assert.deepEqual(body.buckets, [
      bucket('2026-10-26T00:00:00.000Z', 1, 1),
      bucket('2026-11-02T00:00:00.000Z', 0, 0),
      bucket('2026-11-09T00:00:00.000Z', 0, 0),
      bucket('2026-11-16T00:00:00.000Z', 6.5, 4, 1),
    ]);
    const sdk = spendByPeriod(rows(), 'week', { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 23) });
    assert.deepEqual(body.buckets, sdk.map(snake));
  });

  test('burn rate over the window ending at time, month-to-date and projection, as the SDK computes them', async () => {
    const { body } = await spend(`time=${NOW}&window=4d`);
    // (Nov 19 12:00, Nov 23 12:00]: 0.25 + 0.125 + 4, one unpriced call; month to date adds 1 + 2 + 0.5.
    assert.equal(body.burn_rate_usd_per_day, 4.375 / 4);
    assert.equal(body.burn_window_ms, 4 * DAY);
    assert.deepEqual(body.projection, {
      month_start: '2026-11-01T00:00:00.000Z',
      month_end: '2026-12-01T00:00:00.000Z',
      month_to_date_usd: 7.875,
      projected_usd: 7.875 + (4.375 / 4) * 7.5,
    });
    assert.equal(body.budget, null);
    assert.equal(body.burn_rate_usd_per_day, burnRate(rows(), { now: NOW, windowMs: 4 * DAY }));
    const sdk = projectMonthEnd(rows(), { now: NOW, windowMs: 4 * DAY });
    assert.deepEqual(body.projection, {
      month_start: sdk.monthStart,
      month_end: sdk.monthEnd,
      month_to_date_usd: sdk.monthToDateUsd,
      projected_usd: sdk.projectedUsd,
    });
  });

  test('defaults: days between the first and last call, a 7-day window, time now, no budget', async () => {
    const { body } = await spend('');
    const buckets = body.buckets as ReturnType<typeof bucket>[];
    assert.equal(buckets.length, 25);
    assert.deepEqual(buckets[0], bucket('2026-10-30T00:00:00.000Z', 8, 1));
    assert.deepEqual(buckets[1], bucket('2026-10-31T00:00:00.000Z', 0, 0));
    assert.deepEqual(buckets[24], bucket('2026-11-23T00:00:00.000Z', 16.375, 3));
    assert.deepEqual(buckets, spendByPeriod(rows(), 'day').map(snake));
    // The call exactly 7 days before now is outside the window, the one 1 ms later inside.
    assert.equal(body.burn_rate_usd_per_day, (4.875 / (7 * DAY)) * DAY);
    assert.equal(body.burn_rate_usd_per_day, burnRate(rows(), { now: NOW }));
    assert.equal(body.burn_window_ms, 7 * DAY);
    assert.equal(
      (body.projection as { projected_usd: number }).projected_usd,
      projectMonthEnd(rows(), { now: NOW }).projectedUsd,
    );
    assert.deepEqual(body, (await spend(`time=${NOW}&period=day&window=7d`)).body);
  });

  test('months, and an app filter that applies to buckets, burn rate and projection alike', async () => {
    const months = (await spend('period=month')).body;
    assert.deepEqual(months.buckets, [
      bucket('2026-10-01T00:00:00.000Z', 8, 1),
      bucket('2026-11-01T00:00:00.000Z', 23.875, 8, 1),
    ]);
    const app = (await spend('app_id=app-a&window=4d&budget_usd=2')).body;
    assert.equal(app.burn_rate_usd_per_day, 0.375 / 4);
    assert.deepEqual(app.projection, {
      month_start: '2026-11-01T00:00:00.000Z',
      month_end: '2026-12-01T00:00:00.000Z',
      month_to_date_usd: 1.875,
      projected_usd: 1.875 + (0.375 / 4) * 7.5,
    });
    assert.deepEqual(app.budget, {
      limit_usd: 2,
      spent_usd: 1.875,
      remaining_usd: 0.125,
      since: '2026-11-01T00:00:00.000Z',
    });
    assert.deepEqual(app.budget, sdkBudget(2, 'month', undefined, 'app-a'));
    assert.equal(app.burn_rate_usd_per_day, burnRate(rows('app-a'), { now: NOW, windowMs: 4 * DAY }));
    const none = (await spend('app_id=nobody')).body;
    assert.deepEqual(none.buckets, []);
    assert.equal(none.burn_rate_usd_per_day, 0);
    const filled = (await spend('app_id=nobody&since=2026-11-01T00:00:00Z&until=2026-11-03T00:00:00Z')).body;
    assert.deepEqual(filled.buckets, [
      bucket('2026-11-01T00:00:00.000Z', 0, 0),
      bucket('2026-11-02T00:00:00.000Z', 0, 0),
    ]);
  });

  test('budgets per month, day and rolling window, per app or user, remaining never below 0, as budgetRemaining', async () => {
    const cases: [query: string, expected: object, sdk: object][] = [
      [
        'budget_usd=10',
        { limit_usd: 10, spent_usd: 7.875, remaining_usd: 2.125, since: '2026-11-01T00:00:00.000Z' },
        sdkBudget(10, 'month'),
      ],
      [
        'budget_usd=0.25&budget_period=day',
        { limit_usd: 0.25, spent_usd: 0.375, remaining_usd: 0, since: '2026-11-23T00:00:00.000Z' },
        sdkBudget(0.25, 'day'),
      ],
      [
        'budget_usd=5&budget_period=rolling',
        { limit_usd: 5, spent_usd: 4.375, remaining_usd: 0.625, since: '2026-11-22T12:00:00.000Z' },
        sdkBudget(5, 'rolling', 24),
      ],
      [
        'budget_usd=5&budget_period=rolling&budget_window=7d',
        { limit_usd: 5, spent_usd: 4.875, remaining_usd: 0.125, since: '2026-11-16T12:00:00.000Z' },
        sdkBudget(5, 'rolling', 168),
      ],
      [
        'user_id=user-1&budget_usd=1&budget_period=day',
        { limit_usd: 1, spent_usd: 0.25, remaining_usd: 0.75, since: '2026-11-23T00:00:00.000Z' },
        sdkBudget(1, 'day', undefined, undefined, 'user-1'),
      ],
    ];
    for (const [query, expected, sdk] of cases) {
      const { status, body } = await spend(`${query}&time=2026-11-23T12:00:00Z`);
      assert.equal(status, 200, query);
      assert.deepEqual(body.budget, expected, query);
      assert.deepEqual(body.budget, sdk, query);
    }
  });

  test('bad parameters are 400 naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['period=year', /parameter "period" must be one of day, week, month, got "year"/],
      ['window=-1', /parameter "window" must be a duration/],
      ['window=4000d', /parameter "window" must be at most 3650d/],
      ['budget_usd=0', /parameter "budget_usd" must be a number > 0, got "0"/],
      ['budget_usd=-3', /parameter "budget_usd" must be a number > 0/],
      ['budget_usd=5&budget_period=rolling&budget_window=soon', /parameter "budget_window" must be a duration/],
      ['budget_usd=5&budget_period=week', /parameter "budget_period" must be one of day, month, rolling/],
      ['budget_usd=5&budget_window=1h', /parameter "budget_window" is only for budget_period=rolling/],
      ['budget_period=day', /parameter "budget_period" needs parameter "budget_usd"/],
      ['since=2026-11-24T00:00:00Z&until=2026-11-23T00:00:00Z', /parameter "since" \(.*\) is after parameter "until"/],
      ['time=tomorrow', /parameter "time" must be an RFC 3339 time or epoch milliseconds/],
      ['since=-99999999999999', /parameter "since" must be between 0001-01-01 and 9999-12-31/],
      ['since=1970-01-01T00:00:00Z&until=2026-01-01T00:00:00Z', /more than 10000 days: narrow "since" and "until"/],
      [`app_id=${'x'.repeat(300)}`, /parameter "app_id" is longer than 256/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await spend(query);
      assert.equal(status, 400, query);
      assert.match(String(body.error), message, query);
    }
  });
});

/** budgetRemaining of the SDK over the same calls, in the route's field names. */
function sdkBudget(
  limitUsd: number,
  period: 'day' | 'month' | 'rolling',
  windowHours?: number,
  app?: string,
  user?: string,
) {
  const b = budgetRemaining(rows(), { limitUsd, period, windowHours, app, user }, { now: NOW });
  return { limit_usd: b.limitUsd, spent_usd: b.spentUsd, remaining_usd: b.remainingUsd, since: b.since };
}
