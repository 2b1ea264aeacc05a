import type { BoundedCounter } from '../metrics/bounded.js';
import type { Metrics } from '../metrics/metrics.js';

/** Why an audit event was not written. */
export type AuditDropReason = 'invalid' | 'overflow' | 'failed' | 'refused' | 'closed';

/** The counters of the audit log, registered once per Metrics (several audit logs share them). */
export interface AuditFamilies {
  /** `vigil_audit_events_written_total` */
  written: BoundedCounter<never>;
  /** `vigil_audit_events_dropped_total{reason}` */
  dropped: BoundedCounter<'reason'>;
}

const families = new WeakMap<Metrics, AuditFamilies>();

/** The audit counters of `metrics`, registered on first use. */
export function auditFamilies(metrics: Metrics): AuditFamilies {
  let found = families.get(metrics);
  if (found === undefined) {
    found = {
      written: metrics.counter({
        name: 'vigil_audit_events_written_total',
        help: 'Audit events the writer accepted (stored, or accepted by the Vigil service).',
      }),
      dropped: metrics.counter({
        name: 'vigil_audit_events_dropped_total',
        help: 'Audit events dropped, by reason (invalid: refused at append; overflow: queue full; failed: delivery gave up; refused: the writer refused that event; closed: appended after close).',
        labelNames: ['reason'],
      }),
    };
    families.set(metrics, found);
  }
  return found;
}
