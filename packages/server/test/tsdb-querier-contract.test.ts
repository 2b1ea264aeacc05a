import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContractSeries, querierContract } from '@vigil/promql/contract';
import { Tsdb } from '@vigil/tsdb';

// The embedded TSDB keeps the PromQL engine's Querier contract: in memory, and read back from
// its SQLite file after a close and reopen. (Here, where both packages meet: @vigil/tsdb does not
// depend on @vigil/promql.)
const options = { flushIntervalMs: 0, retentionIntervalMs: 0, now: () => 10 * 60_000 };

function load(db: Tsdb, series: ContractSeries[]): Tsdb {
  for (const s of series) {
    const ref = db.series(s.labels);
    for (const { t, v } of s.samples) db.append(ref, t, v);
  }
  return db;
}

querierContract('Tsdb in memory', (series) => load(Tsdb.open(options), series));

querierContract('Tsdb reopened from its file', (series) => {
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-contract-')), 'tsdb.db');
  load(Tsdb.open({ ...options, path }), series).close();
  return Tsdb.open({ ...options, path });
});
