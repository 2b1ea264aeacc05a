import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eq, openStore, readAll, T0, tempDir } from './support/storage-fixture.js';

const CHILD = fileURLToPath(new URL('./support/storage-ingest-child.js', import.meta.url));
const FLUSHES_BEFORE_KILL = 8;

test('kill -9 during ingest loses at most the last flush interval; the file opens cleanly and appends continue', async (t) => {
  const path = join(tempDir(t), 'crash.db');
  const child = spawn(process.execPath, [CHILD, path, '25'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  let flushed = -1;
  let seen = 0;
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /^flushed (\d+)$/.exec(line);
    assert.ok(m, `unexpected child output: ${line}`);
    flushed = Number(m[1]);
    if (++seen === FLUSHES_BEFORE_KILL) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  assert.ok(flushed > 0, 'the child flushed some steps');

  const db = openStore(t, { path, samplesPerChunk: 10 });
  const all = readAll(db, [eq('__name__', 'crash_test')]);
  assert.equal(all.size, 50);
  let last: number | undefined;
  for (const [key, samples] of all) {
    // Every series holds steps 0..k without a gap, k at least the last step reported flushed.
    samples.forEach(([t, v], i) => {
      assert.equal(t, T0 + i * 1000, key);
      assert.equal(v, i, key);
    });
    const k = samples.length - 1;
    assert.ok(k >= flushed, `${key}: ${k} < ${flushed}`);
    // A flush is one transaction: every series stops at the same step.
    last ??= k;
    assert.equal(k, last, key);
  }
  const ref = db.lookup({ __name__: 'crash_test', series: '7' })!;
  assert.equal(db.append(ref, T0 + last! * 1000, 0), 'duplicate');
  assert.equal(db.append(ref, T0 + (last! + 1) * 1000, last! + 1), 'ok');
  db.flush();
});
