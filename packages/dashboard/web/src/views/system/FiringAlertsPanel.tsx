// Alerts firing now, from `/api/v1/alerts`.
import type { Alert } from '../../api/prometheus.js';
import { formatValue } from '../../chart/units.js';
import type { LiveData } from '../../live/use-live-data.js';
import { formatAgo } from '../../time/range.js';
import { Empty, LabelChips, Loaded, Panel, StatusDot } from '../../ui/Panel.js';

/** Alerts list; `states` picks which ones (firing only by default). */
export function AlertList({ alerts, states = ['firing'] }: { alerts: Alert[]; states?: Alert['state'][] }) {
  const now = Date.now();
  const shown = alerts.filter((a) => states.includes(a.state));
  if (shown.length === 0) return <Empty>No {states.join(' or ')} alerts</Empty>;
  return (
    <ul className="alert-list">
      {shown.map((alert) => {
        const { alertname = '(unnamed)', severity, ...rest } = alert.labels;
        const since = alert.activeAt === undefined ? Number.NaN : Date.parse(alert.activeAt);
        return (
          <li key={JSON.stringify(alert.labels)} className={`alert alert-${alert.state}`}>
            <div className="alert-head">
              <StatusDot level={alert.state === 'firing' ? 'bad' : 'warn'} label={alert.state} />
              <strong>{alertname}</strong>
              {severity !== undefined && <span className="badge">{severity}</span>}
              {Number.isFinite(since) && <span className="muted">since {formatAgo(since, now)}</span>}
              <span className="muted">value {formatValue(Number(alert.value))}</span>
            </div>
            {alert.annotations.summary !== undefined && (
              <div className="alert-summary">{alert.annotations.summary}</div>
            )}
            <LabelChips labels={rest} />
          </li>
        );
      })}
    </ul>
  );
}

/** The firing alerts panel of the system view; "alerting not available" when the route is missing. */
export function FiringAlertsPanel({ state, span }: { state: LiveData<{ alerts: Alert[] }>; span: number }) {
  return (
    <Panel title="Firing alerts" span={span}>
      <Loaded state={state} api="/api/v1/alerts" what="Alerting not available">
        {(data) => <AlertList alerts={data.alerts} />}
      </Loaded>
    </Panel>
  );
}
