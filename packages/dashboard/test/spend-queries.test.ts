import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarWindows, dailySpendQuery, dayLabel, spendQueries } from '../web/src/views/llm/spend-queries.js';

describe('spend queries', () => {
  // Monday 23 November 2026, 13:00:07 UTC.
  const at = Date.UTC(2026, 10, 23, 13, 0, 7) / 1000;

  it('measures today, the week (from Monday) and the month back from the range end, in UTC', () => {
    assert.deepEqual(calendarWindows(at), {
      day: 13 * 3600 + 7,
      week: 13 * 3600 + 7,
      month: 22 * 86400 + 13 * 3600 + 7,
      monthHoursLeft: (8 * 86400 - (13 * 3600 + 7)) / 3600,
    });
    const sunday = Date.UTC(2026, 10, 29, 23, 0, 0) / 1000;
    assert.equal(calendarWindows(sunday).week, 6 * 86400 + 23 * 3600, 'Sunday is the last day of the week');
    assert.equal(calendarWindows(Date.UTC(2026, 11, 1) / 1000).monthHoursLeft, 31 * 24);
  });

  it('spend per period is increase() of the cost counter over that window; projection adds burn × hours left', () => {
    const q = spendQueries('{gen_ai_request_model="gpt-4o"}', at, '3600s');
    assert.equal(q.today, 'sum(increase(vigil_llm_cost_usd_total{gen_ai_request_model="gpt-4o"}[46807s]))');
    assert.equal(q.burnPerHour, 'sum(rate(vigil_llm_cost_usd_total{gen_ai_request_model="gpt-4o"}[1h])) * 3600');
    assert.equal(q.projectedMonth, `${q.month} + ${q.burnPerHour} * 178.9981`);
    assert.equal(
      q.unpriced,
      'sum(increase(vigil_llm_calls_unpriced_total{gen_ai_request_model="gpt-4o"}[3600s])) or 0 * sum(increase(vigil_llm_cost_usd_total{gen_ai_request_model="gpt-4o"}[3600s]))',
    );
    assert.equal(
      spendQueries('', Date.UTC(2026, 10, 23) / 1000, '60s').today,
      'sum(increase(vigil_llm_cost_usd_total[1s]))',
      'at midnight the window is still a valid range',
    );
  });

  it('spend per day is evaluated at each UTC midnight after a day the range touches', () => {
    const from = Date.UTC(2026, 10, 16, 13) / 1000;
    const q = dailySpendQuery('', from, at);
    assert.equal(q.expr, 'sum(increase(vigil_llm_cost_usd_total[1d]))');
    assert.equal(q.step, 86400);
    assert.equal(q.start, Date.UTC(2026, 10, 17) / 1000);
    assert.equal(q.end, Date.UTC(2026, 10, 24) / 1000);
    assert.equal(dayLabel(q.start), '2026-11-16');
    assert.equal(dayLabel(q.end), '2026-11-23');
  });
});
