// The process the crash test kills: ingests into a file store without end, one step (a sample for every series
// at T0 + step s) per event-loop turn, so the flush timer runs between steps. After each flush it prints
// `flushed <s>`: every step up to s is in the file. Usage: node storage-ingest-child.js <path> <flushIntervalMs>.
import { Tsdb } from '../../src/index.js';

const T0 = Date.UTC(2026, 10, 23);
const SERIES = 50;

const [path, interval] = process.argv.slice(2);
// Without arguments (a test runner given the whole directory) there is nothing to do.
if (path === undefined) process.exit(0);
const db = Tsdb.open({ path, flushIntervalMs: Number(interval), samplesPerChunk: 10, now: () => T0 });
const refs = Array.from({ length: SERIES }, (_, i) => db.series({ __name__: 'crash_test', series: String(i) }));
let step = 0;
let flushes = db.stats().flushes;

function ingest(): void {
  const done = db.stats().flushes;
  if (done !== flushes) {
    flushes = done;
    process.stdout.write(`flushed ${step - 1}\n`);
  }
  for (const ref of refs) db.append(ref, T0 + step * 1000, step);
  step++;
  setImmediate(ingest);
}
ingest();
