// The metrics of rules and notifications, on the service's registry.

import type { BoundedCounter, BoundedGauge, Metrics } from '@vigil/sdk/metrics';

/** Counters and gauges the alerting code writes. */
export interface AlertingMetrics {
  notifications: BoundedCounter<'receiver' | 'result'>;
  failures: BoundedCounter<'receiver'>;
  queueLength: BoundedGauge<never>;
  evaluations: BoundedCounter<'rule_group'>;
  evaluationFailures: BoundedCounter<'rule_group'>;
  alertsSent: BoundedCounter<'destination'>;
}

/** Registers the alerting metrics on `metrics`. */
export function alertingMetrics(metrics: Metrics): AlertingMetrics {
  return {
    notifications: metrics.counter({
      name: 'vigil_notifications_total',
      help: 'Notifications by receiver and result: success, failed (given up after retries or refused), overflow (queue full).',
      labelNames: ['receiver', 'result'],
    }),
    failures: metrics.counter({
      name: 'vigil_notification_failures_total',
      help: 'Failed notification attempts (each retry counts), by receiver.',
      labelNames: ['receiver'],
    }),
    queueLength: metrics.gauge({
      name: 'vigil_notification_queue_length',
      help: 'Notifications waiting to be delivered or retried.',
    }),
    evaluations: metrics.counter({
      name: 'vigil_rule_group_evaluations_total',
      help: 'Rule group evaluations, by group.',
      labelNames: ['rule_group'],
    }),
    evaluationFailures: metrics.counter({
      name: 'vigil_rule_evaluation_failures_total',
      help: 'Rule evaluations that failed (query error, duplicate labels, limit), by group.',
      labelNames: ['rule_group'],
    }),
    alertsSent: metrics.counter({
      name: 'vigil_alerts_sent_total',
      help: 'Alerts handed to notification, by destination (alertmanager or receivers).',
      labelNames: ['destination'],
    }),
  };
}
