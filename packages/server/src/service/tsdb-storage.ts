import type { Metrics } from '@vigil/sdk/metrics';
import { exportOpenMetrics, type Tsdb } from '@vigil/tsdb';
import type { ServiceStorage } from './service.js';

/** The embedded TSDB as the service's storage: scrapes append to it, queries read it. */
export function tsdbStorage(db: Tsdb): ServiceStorage {
  return {
    ref: (labels) => db.series(labels),
    append: (ref, t, v) => db.append(ref, t, v),
    setMetadata: (metric, info) => db.setMetadata(metric, info),
    querier: () => db,
    exportOpenMetrics: (options) => exportOpenMetrics(db, options),
    close: () => db.close(),
  };
}

/**
 * The TSDB's figures on the service's /metrics (as Prometheus's prometheus_tsdb_* families), read
 * from `db.stats()`: call the returned function before each exposition.
 */
export function tsdbMetrics(metrics: Metrics, db: Tsdb): () => void {
  const gauge = (name: string, help: string) => metrics.gauge({ name, help });
  const counter = (name: string, help: string) => metrics.counter({ name, help });
  const series = gauge('vigil_tsdb_head_series', 'Series in the TSDB index.');
  const bytes = gauge('vigil_tsdb_storage_bytes', 'Bytes of the TSDB file and its write-ahead log.');
  const chunks = gauge('vigil_tsdb_chunks', 'Closed chunks stored in the TSDB file.');
  const lastFlush = gauge('vigil_tsdb_last_flush_timestamp_seconds', 'When the head was last written to disk.');
  const counters = [
    [counter('vigil_tsdb_samples_appended_total', 'Samples the TSDB accepted.'), 'samplesAppended'],
    [counter('vigil_tsdb_out_of_order_samples_total', 'Samples refused as out of order.'), 'outOfOrder'],
    [counter('vigil_tsdb_duplicate_samples_total', 'Samples refused as duplicate timestamps.'), 'duplicates'],
    [counter('vigil_tsdb_background_errors_total', 'Background flushes or retention runs that failed.'), 'errors'],
  ] as const;
  const last = new Map<string, number>();
  return () => {
    const stats = db.stats();
    series.set({}, stats.series);
    bytes.set({}, stats.bytesOnDisk);
    chunks.set({}, stats.chunks);
    if (stats.lastFlushAt !== undefined) lastFlush.set({}, stats.lastFlushAt / 1000);
    for (const [metric, field] of counters) {
      const delta = stats[field] - (last.get(field) ?? 0);
      if (delta > 0) metric.inc({}, delta);
      last.set(field, stats[field]);
    }
  };
}
