import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetRemaining, burnRate, projectMonthEnd, type SpendRow, spendByPeriod } from '../src/cost/index.js';

// Amounts are sums of powers of two, so float sums are exact.
const ROWS: SpendRow[] = [
  { at: '2026-03-30T10:00:00Z', costUsd: 1, app: 'support' },
  { at: '2026-03-30T23:59:59.999Z', costUsd: 0.5, app: 'billing' },
  { at: Date.parse('2026-04-01T00:00:00Z'), costUsd: 2, app: 'support', user: 'u1' },
  { at: new Date('2026-04-01T08:00:00Z'), costUsd: null, app: 'support' },
  { at: '2026-04-03T12:00:00Z', costUsd: 4, app: 'support', user: 'u2' },
  { at: '2026-04-06T12:00:00Z', costUsd: 8, app: 'billing', user: 'u1' },
];

describe('spend per period', () => {
  test('per UTC day, with empty days filled and unpriced calls counted', () => {
    const days = spendByPeriod(ROWS, 'day');
    assert.deepEqual(
      days.map((d) => [d.start.slice(0, 10), d.spendUsd, d.calls, d.unpricedCalls]),
      [
        ['2026-03-30', 1.5, 2, 0],
        ['2026-03-31', 0, 0, 0],
        ['2026-04-01', 2, 2, 1],
        ['2026-04-02', 0, 0, 0],
        ['2026-04-03', 4, 1, 0],
        ['2026-04-04', 0, 0, 0],
        ['2026-04-05', 0, 0, 0],
        ['2026-04-06', 8, 1, 0],
      ],
    );
  });

  test('per week from Monday and per month, both UTC, and within a range', () => {
    assert.deepEqual(
      spendByPeriod(ROWS, 'week').map((w) => [w.start, w.spendUsd]),
      [
        ['2026-03-30T00:00:00.000Z', 7.5], // Monday 30 March to Sunday 5 April
        ['2026-04-06T00:00:00.000Z', 8],
      ],
    );
    assert.deepEqual(
      spendByPeriod(ROWS, 'month').map((m) => [m.start, m.spendUsd]),
      [
        ['2026-03-01T00:00:00.000Z', 1.5],
        ['2026-04-01T00:00:00.000Z', 14],
      ],
    );
    const april = spendByPeriod(ROWS, 'day', {
      from: Date.parse('2026-04-01T00:00:00Z'),
      to: new Date('2026-04-03T00:00:00Z'),
    });
    assert.deepEqual(
      april.map((d) => [d.start.slice(0, 10), d.spendUsd]),
      [
        ['2026-04-01', 2],
        ['2026-04-02', 0],
      ],
    );
  });
});

describe('burn rate, projection and budget remaining', () => {
  const now = Date.parse('2026-04-07T00:00:00Z');

  test('burn rate is the spend of the window per day', () => {
    // the 7 days before now hold 2 + 4 + 8 = 14 -> 2 per day
    assert.equal(burnRate(ROWS, { now }), 2);
    // the last 2 days hold 8 -> 4 per day
    assert.equal(burnRate(ROWS, { now, windowMs: 2 * 86_400_000 }), 4);
  });

  test('the month-end projection adds the burn rate over the days left in the UTC month', () => {
    const projection = projectMonthEnd(ROWS, { now });
    // April to date: 14; 24 days left (7 April 00:00 to 1 May); 14 + 2 * 24 = 62
    assert.deepEqual(projection, {
      monthStart: '2026-04-01T00:00:00.000Z',
      monthEnd: '2026-05-01T00:00:00.000Z',
      monthToDateUsd: 14,
      burnRateUsdPerDay: 2,
      projectedUsd: 62,
    });
  });

  test('budget remaining over rows, for calendar, rolling, per-app and per-user budgets', () => {
    assert.deepEqual(budgetRemaining(ROWS, { limitUsd: 20, period: 'month' }, { now }), {
      spentUsd: 14,
      limitUsd: 20,
      remainingUsd: 6,
      since: '2026-04-01T00:00:00.000Z',
    });
    assert.equal(budgetRemaining(ROWS, { limitUsd: 5, period: 'rolling', windowHours: 96 }, { now }).remainingUsd, 0);
    assert.equal(
      budgetRemaining(ROWS, { limitUsd: 10, period: 'month', per: 'app' }, { now, app: 'support' }).spentUsd,
      6,
    );
    assert.equal(
      budgetRemaining(ROWS, { limitUsd: 10, period: 'month', per: 'user' }, { now, user: 'u1' }).spentUsd,
      10,
    );
    assert.equal(
      budgetRemaining(ROWS, { limitUsd: 10, period: 'day' }, { now: Date.parse('2026-04-01T09:00:00Z') }).spentUsd,
      2,
    );
  });
});
