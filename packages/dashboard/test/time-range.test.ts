import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAgo, parseRange, rateWindow, resolveRange, writeRange } from '../web/src/time/range.js';

describe('time range', () => {
  const now = Date.UTC(2026, 10, 23, 13, 0, 7);

  it('resolves a relative range to an aligned grid of about 240 points, instant queries at the true end', () => {
    const r = resolveRange({ kind: 'relative', last: '1h' }, now);
    assert.equal(r.step, 15);
    assert.equal(r.start % 15, 0);
    assert.equal(r.end % 15, 0);
    assert.ok(r.end >= now / 1000 && r.end - now / 1000 < 15);
    assert.equal(r.at, now / 1000);
    assert.equal(resolveRange({ kind: 'relative', last: '7d' }, now).step, 2520);
  });

  it('resolves an absolute range as it is', () => {
    const r = resolveRange({ kind: 'absolute', from: now - 60_000, to: now }, now + 3_600_000);
    assert.equal(r.at, now / 1000);
    assert.equal(r.step, 1);
  });

  it('uses a rate window of two steps, at least two minutes', () => {
    assert.equal(rateWindow({ start: 0, end: 3600, step: 15, at: 3600 }), '120s');
    assert.equal(rateWindow({ start: 0, end: 604800, step: 2520, at: 604800 }), '5040s');
  });

  it('reads and writes the URL parameters, falling back to the last hour', () => {
    assert.deepEqual(parseRange(new URLSearchParams('range=6h')), { kind: 'relative', last: '6h' });
    assert.deepEqual(parseRange(new URLSearchParams('range=5y')), { kind: 'relative', last: '1h' });
    assert.deepEqual(parseRange(new URLSearchParams('from=2026-11-23T12:00:00Z&to=1795438800000')), {
      kind: 'absolute',
      from: Date.UTC(2026, 10, 23, 12),
      to: 1795438800000,
    });
    assert.deepEqual(parseRange(new URLSearchParams('from=2026-11-23T12:00:00Z&to=2026-11-23T11:00:00Z')), {
      kind: 'relative',
      last: '1h',
    });
    const params = new URLSearchParams('range=6h&q=up');
    writeRange({ kind: 'absolute', from: 0, to: 1000 }, params);
    assert.equal(params.toString(), 'q=up&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
    writeRange({ kind: 'relative', last: '1h' }, params);
    assert.equal(params.toString(), 'q=up');
  });

  it('says how long ago', () => {
    assert.equal(formatAgo(now - 4_000, now), '4s ago');
    assert.equal(formatAgo(now - 180_000, now), '3m ago');
    assert.equal(formatAgo(now - 2 * 86_400_000, now), '2d ago');
  });
});
