import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '@vigil/promql';
import { type RunningPeer, startNodeExporter, startPrometheus } from '@vigil/test-peers';
import { Tsdb } from '@vigil/tsdb';
import { ScrapeLoop } from '../src/scrape/scrape-loop.js';
import { tsdbStorage } from '../src/service/tsdb-storage.js';
import { targetFor } from './support/scrape-target.js';

// The check: a real prometheus-node-exporter and a real Prometheus's own /metrics
// (Debian packages, loopback ports) are scraped into the real TSDB without an error.
describe('scraping real exporters into the TSDB', () => {
  let nodeExporter: RunningPeer;
  let prometheus: RunningPeer;
  before(async () => {
    [nodeExporter, prometheus] = await Promise.all([startNodeExporter(), startPrometheus()]);
  });
  after(async () => {
    await Promise.all([nodeExporter?.stop(), prometheus?.stop()]);
  });

  for (const peer of ['node exporter', 'Prometheus'] as const) {
    test(`${peer}: every sample parsed and stored, up 1, metadata kept, queryable`, async () => {
      const url = `${(peer === 'node exporter' ? nodeExporter : prometheus).url}/metrics`;
      const db = Tsdb.open({ flushIntervalMs: 0, retentionIntervalMs: 0 });
      try {
        const job = peer === 'node exporter' ? 'node' : 'prometheus';
        const loop = new ScrapeLoop(targetFor(url, { job, labels: labelsOf(url, job) }), tsdbStorage(db));
        const start = Date.now();
        const first = await loop.scrape(start);
        assert.equal(first.error, '');
        assert.equal(first.up, true);
        assert.ok(first.samplesScraped > 100, `${first.samplesScraped} samples`);
        assert.equal(first.samplesStored, first.samplesScraped);
        assert.deepEqual(first.rejected, {});
        const second = await loop.scrape(start + 15_000);
        assert.equal(second.error, '');
        // The cache knows the series: only those the exporter made since (its own request metrics) are new.
        assert.ok(
          second.seriesAdded < second.samplesStored / 10,
          `${second.seriesAdded} series new in the second scrape`,
        );

        const engine = new Engine();
        const count = engine.instantQuery(db, `count({job="${job}", __name__!~"up|scrape_.*"})`, start + 15_000);
        assert.equal(count.resultType, 'vector');
        const series = (count.result as { value: [number, number] }[])[0]!.value[1];
        assert.equal(series, second.samplesStored, 'one series per stored sample');
        const up = engine.instantQuery(db, `up{job="${job}"}`, start + 15_000);
        assert.equal((up.result as { value: [number, number] }[])[0]!.value[1], 1);
        const metadata = db.metadata(peer === 'node exporter' ? 'node_cpu_seconds_total' : 'prometheus_build_info');
        assert.equal([...metadata.values()][0]?.[0]?.type, peer === 'node exporter' ? 'counter' : 'gauge');
      } finally {
        db.close();
      }
    });
  }
});

function labelsOf(url: string, job: string) {
  return [
    { name: 'instance', value: new URL(url).host },
    { name: 'job', value: job },
  ];
}
