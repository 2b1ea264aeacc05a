// Component health of every scraped service that has the SDK's `/health`.
import { ApiError } from '../../api/client.js';
import type { ActiveTarget } from '../../api/prometheus.js';
import { fetchServiceHealth, SERVICE_HEALTH_PATH, type ServiceHealth } from '../../api/service-health.js';
import { formatValue } from '../../chart/units.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { formatAgo } from '../../time/range.js';
import { Empty, Loaded, NeedsApi, Panel, StatusDot } from '../../ui/Panel.js';

const MAX_SERVICES = 24;
const LEVEL = { ok: 'ok', degraded: 'warn', down: 'bad' } as const;

interface Reports {
  /** The service has no health proxy route at all. */
  notAvailable: boolean;
  reports: { target: ActiveTarget; health: ServiceHealth }[];
  without: number;
}

/** One card per service that answered its `/health`. */
export function ComponentHealthPanel({ targets }: { targets: ActiveTarget[] | undefined }) {
  const { client } = useData();
  const up = (targets ?? []).filter((t) => t.health === 'up').slice(0, MAX_SERVICES);
  const key = `health:${up.map((t) => t.scrapeUrl).join(' ')}`;
  const state = useLiveData<Reports>(key, async (signal) => {
    const settled = await Promise.allSettled(up.map((t) => fetchServiceHealth(client, t.scrapeUrl, signal)));
    const reports: Reports['reports'] = [];
    let notAvailable = settled.length > 0;
    settled.forEach((result, i) => {
      const target = up[i]!;
      if (result.status === 'fulfilled') reports.push({ target, health: result.value });
      if (!(result.status === 'rejected' && result.reason instanceof ApiError && result.reason.notAvailable)) {
        notAvailable = false;
      }
    });
    return { notAvailable, reports, without: up.length - reports.length };
  });

  return (
    <Panel title="Component health" span={12}>
      <Loaded state={state}>
        {(data) =>
          data.notAvailable ? (
            <NeedsApi api={`${SERVICE_HEALTH_PATH}?target=…`} what="Component health not available" />
          ) : data.reports.length === 0 ? (
            <Empty>No scraped service exposes a /health report</Empty>
          ) : (
            <>
              <div className="health-cards">
                {data.reports.map(({ target, health }) => (
                  <HealthCard key={target.scrapeUrl} target={target} health={health} />
                ))}
              </div>
              {data.without > 0 && (
                <p className="muted small">
                  {data.without} other targets have no /health report (not Vigil SDK services).
                </p>
              )}
            </>
          )
        }
      </Loaded>
    </Panel>
  );
}

function HealthCard({ target, health }: { target: ActiveTarget; health: ServiceHealth }) {
  const now = Date.now();
  return (
    <div className="health-card">
      <div className="health-card-head">
        <StatusDot level={LEVEL[health.status]} label={health.status} />
        <strong>{health.service ?? target.scrapePool}</strong>
        {health.version !== undefined && <span className="muted">v{health.version}</span>}
        <span className="muted mono">{target.labels.instance ?? target.scrapeUrl}</span>
        {health.uptime_seconds !== undefined && (
          <span className="muted">up {formatValue(health.uptime_seconds, 'seconds')}</span>
        )}
        {health.draining === true && <span className="badge">draining</span>}
      </div>
      {health.reasons !== undefined && health.reasons.length > 0 && (
        <div className="error-text small">{health.reasons.join('; ')}</div>
      )}
      {health.components.length === 0 ? (
        <div className="muted small">no components checked</div>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>Component</th>
              <th>Kind</th>
              <th>Status</th>
              <th className="num">Latency</th>
              <th>Checked</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {health.components.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td className="muted">{c.kind}</td>
                <td>
                  <StatusDot level={LEVEL[c.status] ?? 'unknown'} label={c.status} />
                </td>
                <td className="num">{c.latency_ms === null ? '–' : `${formatValue(c.latency_ms)} ms`}</td>
                <td>{Number.isFinite(Date.parse(c.checked_at)) ? formatAgo(Date.parse(c.checked_at), now) : '–'}</td>
                <td className="error-text">{c.last_error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
