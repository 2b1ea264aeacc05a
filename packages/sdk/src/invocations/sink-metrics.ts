import type { BoundedCounter } from '../metrics/bounded.js';
import type { Metrics } from '../metrics/metrics.js';

/** The counters every invocation sink writes, registered once per Metrics (several sinks share them). */
export interface SinkFamilies {
  /** `vigil_invocation_rows_written_total{sink}` */
  written: BoundedCounter<'sink'>;
  /** `vigil_invocation_rows_dropped_total{sink,reason}`: overflow (queue full), failed (delivery gave up), invalid (a row refused on its own), closed. */
  dropped: BoundedCounter<'sink' | 'reason'>;
}

const families = new WeakMap<Metrics, SinkFamilies>();

/** The sink counters of `metrics`, registered on first use. */
export function sinkFamilies(metrics: Metrics): SinkFamilies {
  let found = families.get(metrics);
  if (found === undefined) {
    found = {
      written: metrics.counter({
        name: 'vigil_invocation_rows_written_total',
        help: 'Invocation rows a sink delivered (stored, or accepted by the Vigil service), by sink.',
        labelNames: ['sink'],
      }),
      dropped: metrics.counter({
        name: 'vigil_invocation_rows_dropped_total',
        help: 'Invocation rows a sink dropped, by sink and reason (overflow: queue full; failed: delivery gave up; invalid: a row the destination refused; closed: written after close).',
        labelNames: ['sink', 'reason'],
      }),
    };
    families.set(metrics, found);
  }
  return found;
}
