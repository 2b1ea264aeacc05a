// The dashboard queries both servers answer: a RED dashboard's panels over the workload's metrics.

/** A panel's query. */
export interface DashboardQuery {
  /** Short name for the tables. */
  name: string;
  expr: string;
  /** A topk/bottomk query: which of several equal series is kept is unspecified, so values are compared per step. */
  ranked?: boolean;
}

/** Every query, in the order the tables list them. */
export const DASHBOARD_QUERIES: readonly DashboardQuery[] = [
  { name: 'requests/s by job', expr: 'sum by (job) (rate(http_requests_total[5m]))' },
  { name: 'requests/s per series', expr: 'rate(http_requests_total[5m])' },
  {
    name: 'p95 latency by job',
    expr: 'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[5m])))',
  },
  {
    name: 'top 5 instances by 5xx/s',
    expr: 'topk(5, sum by (instance) (rate(http_requests_total{status=~"5.."}[5m])))',
    ranked: true,
  },
  { name: 'in-flight, 5m average', expr: 'avg_over_time(http_requests_in_flight[5m])' },
];
