import type { BoundedCounter, BoundedGauge, Metrics } from '@vigil/sdk/metrics';

/** The sender's metrics, one series per remote (its `name`, else host and path of its URL). */
export interface RemoteWriteMetrics {
  samples: BoundedCounter<'remote' | 'result'>;
  pending: BoundedGauge<'remote'>;
  lag: BoundedGauge<'remote'>;
  failures: BoundedCounter<'remote' | 'reason'>;
  shards: BoundedGauge<'remote'>;
  metadata: BoundedCounter<'remote' | 'result'>;
}

/** Registers the remote write metrics on `metrics`. */
export function remoteWriteMetrics(metrics: Metrics): RemoteWriteMetrics {
  return {
    samples: metrics.counter({
      name: 'vigil_remote_write_samples_total',
      help: 'Samples by remote and result: sent (2xx), refused (4xx other than 429), dropped (disk queue full or unwritable).',
      labelNames: ['remote', 'result'],
    }),
    pending: metrics.gauge({
      name: 'vigil_remote_write_pending_samples',
      help: 'Samples accepted and not yet sent: in memory, in flight and in the disk queue.',
      labelNames: ['remote'],
    }),
    lag: metrics.gauge({
      name: 'vigil_remote_write_lag_seconds',
      help: 'Newest sample time appended minus newest sample time sent; 0 when nothing is pending.',
      labelNames: ['remote'],
    }),
    failures: metrics.counter({
      name: 'vigil_remote_write_failures_total',
      help: 'Failed send attempts (each retry counts) and disk queue failures, by reason: network, status_429, status_5xx, status_4xx, disk_full, disk_error.',
      labelNames: ['remote', 'reason'],
    }),
    shards: metrics.gauge({
      name: 'vigil_remote_write_shards',
      help: 'Shards (concurrent senders) running, between min_shards and max_shards.',
      labelNames: ['remote'],
    }),
    metadata: metrics.counter({
      name: 'vigil_remote_write_metadata_total',
      help: 'Metric metadata entries (type, help, unit of a family) sent to the remote every metadata_config send_interval, by result: sent, failed.',
      labelNames: ['remote', 'result'],
    }),
  };
}

/** The metrics of the receiver. */
export interface ReceiverMetrics {
  received: BoundedCounter<'result'>;
  requests: BoundedCounter<'code'>;
}

/** Registers the receiver's metrics on `metrics`. */
export function receiverMetrics(metrics: Metrics): ReceiverMetrics {
  return {
    received: metrics.counter({
      name: 'vigil_remote_write_received_samples_total',
      help: 'Samples received on /api/v1/write, by result: ok, or why the store refused them (out_of_order, duplicate, ...).',
      labelNames: ['result'],
    }),
    requests: metrics.counter({
      name: 'vigil_remote_write_requests_total',
      help: 'Requests to /api/v1/write by status code.',
      labelNames: ['code'],
    }),
  };
}
