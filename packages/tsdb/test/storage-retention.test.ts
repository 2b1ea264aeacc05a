import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Tsdb } from '../src/index.js';
import { eq, manualClock, openStore, T0, tempDir, times } from './support/storage-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('Tsdb retention', () => {
  test('time retention drops chunks whose newest sample is past retention, and series left without data', (t) => {
    const clock = manualClock(T0);
    const db = openStore(t, { path: join(tempDir(t), 'r.db'), samplesPerChunk: 10, retentionMs: DAY, now: clock.now });
    const kept = db.series({ __name__: 'kept' });
    const gone = db.series({ __name__: 'gone' });
    // 48 h of minutely samples for `kept`; `gone` stops after 6 h.
    for (let m = 0; m < 48 * 60; m++) {
      db.append(kept, T0 + m * 60_000, m);
      if (m < 6 * 60) db.append(gone, T0 + m * 60_000, m);
    }
    db.flush();
    clock.ms = T0 + 48 * HOUR;
    const result = db.applyRetention();
    assert.equal(result.seriesDropped, 1);
    // kept: chunks of 10 minutes; those ending before T0+24h go.
    const left = times(db, [eq('__name__', 'kept')]);
    assert.ok(left[0]! >= T0 + 24 * HOUR - 10 * 60_000 && left[0]! <= T0 + 24 * HOUR, `first left ${left[0]! - T0}`);
    assert.equal(left.at(-1), T0 + (48 * 60 - 1) * 60_000);
    assert.equal(db.lookup({ __name__: 'gone' }), undefined);
    assert.equal(db.append(gone, T0 + 48 * HOUR, 1), 'unknown_series');
    assert.deepEqual(db.labelValues('__name__'), ['kept']);
    const s = db.stats();
    assert.deepEqual([s.series, s.seriesDropped, s.retentionRuns, s.lastRetentionAt], [1, 1, 1, T0 + 48 * HOUR]);
    assert.equal(s.chunksDropped, result.chunksDropped);
    assert.ok(result.chunksDropped >= 144 + 36 - 2, `dropped ${result.chunksDropped}`);
  });

  test('dropped series stay dropped after a reopen; a series made since the last run is kept before its first sample', (t) => {
    const path = join(tempDir(t), 'r.db');
    const clock = manualClock(T0);
    const options = { path, flushIntervalMs: 0, retentionIntervalMs: 0, retentionMs: HOUR, now: clock.now };
    const db = Tsdb.open(options);
    db.append(db.series({ __name__: 'old' }), T0, 1);
    const fresh = db.series({ __name__: 'fresh' });
    clock.ms = T0 + 2 * HOUR;
    assert.equal(db.applyRetention().seriesDropped, 1);
    assert.equal(db.append(fresh, clock.ms, 1), 'ok');
    db.close();
    const again = openStore(t, options);
    assert.deepEqual(again.labelValues('__name__'), ['fresh']);
  });

  test('size retention drops the oldest chunks until the file fits, never the head', (t) => {
    const clock = manualClock(T0 + 10 * DAY);
    const path = join(tempDir(t), 'r.db');
    const db = openStore(t, { path, samplesPerChunk: 50, retentionBytes: 400_000, now: clock.now });
    const refs = Array.from({ length: 20 }, (_, i) => db.series({ __name__: 'm', i: String(i) }));
    let v = 0;
    for (let s = 0; s < 5000; s++) {
      // Noisy values so chunks are large.
      for (const ref of refs) {
        v = (v * 1103515245 + 12345) % 2 ** 31;
        db.append(ref, T0 + s * 15_000, v / 7);
      }
    }
    db.flush();
    const before = db.stats();
    assert.ok(before.bytesOnDisk > 1_000_000, `${before.bytesOnDisk} bytes before`);
    const result = db.applyRetention();
    assert.ok(result.chunksDropped > 0);
    assert.equal(result.seriesDropped, 0);
    const after = db.stats();
    assert.ok(after.chunks < before.chunks);
    assert.equal(after.headChunks, 20);
    // Oldest first: every series still ends at its last sample and starts later than before.
    const left = times(db, [eq('i', '3')]);
    assert.equal(left.at(-1), T0 + 4999 * 15_000);
    assert.ok(left[0]! > T0);
    db.close();
    const reopened = Tsdb.open({ path });
    try {
      assert.ok(reopened.stats().bytesOnDisk <= 400_000 + 64 * 1024, `${reopened.stats().bytesOnDisk} bytes after`);
    } finally {
      reopened.close();
    }
  });
});
