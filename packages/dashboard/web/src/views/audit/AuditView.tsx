// Audit: the hash chain's integrity, the events with filters, and the audit writer's own metrics.
import { useNavigation } from '../../app/location.js';
import { ChartPanel } from '../../chart/QueryPanels.js';
import { ApiTable } from '../../ui/ApiTable.js';
import { Panel, StatusDot } from '../../ui/Panel.js';

const FILTERS = [
  { key: 'event_type', title: 'Event type' },
  { key: 'actor_user_id', title: 'Actor' },
  { key: 'target_user_id', title: 'Target user' },
  { key: 'target_app_id', title: 'Target app' },
] as const;

/** What the store's `verify()` answers. */
interface VerifyResult {
  ok: boolean;
  checked: number;
  lastHash: string;
  broken: { kind: string; seq: number | null; id: string | null; message: string } | null;
}

/** The audit view. */
export function AuditView() {
  const { location, navigate } = useNavigation();
  const get = (key: string) => location.params.get(key) ?? '';
  const params = { ...Object.fromEntries(FILTERS.map((f) => [f.key, get(f.key) || undefined])), order: 'desc' };
  return (
    <div className="grid">
      <Panel title="Chain integrity" span={4}>
        <ApiTable
          path="/api/vigil/audit/verify"
          what="Chain verification needs the audit API"
          render={(body) => <ChainStatus result={body as VerifyResult} />}
        />
      </Panel>
      <ChartPanel
        title="Audit events written / dropped per minute"
        span={8}
        height={140}
        queries={[
          { expr: 'sum by (job) (rate(vigil_audit_events_written_total[$window])) * 60', legend: '{{job}} written' },
          {
            expr: 'sum by (job, reason) (rate(vigil_audit_events_dropped_total[$window])) * 60',
            legend: '{{job}} dropped {{reason}}',
          },
        ]}
      />
      <Panel title="Audit events" span={12}>
        <div className="filters">
          {FILTERS.map((f) => (
            <label key={f.key}>
              {f.title}
              <input
                type="search"
                value={get(f.key)}
                placeholder="any"
                onChange={(event) => navigate({ params: { [f.key]: event.target.value } }, { replace: true })}
              />
            </label>
          ))}
        </div>
        <ApiTable
          path="/api/vigil/audit"
          params={params}
          rangeParams={['since', 'until']}
          what="The audit log needs the audit API"
          columns={[
            { key: 'seq', title: '#' },
            { key: 'ts', title: 'Time', format: 'time' },
            { key: 'event_type', title: 'Event' },
            { key: 'actor_user_id', title: 'Actor' },
            { key: 'target_user_id', title: 'Target user' },
            { key: 'target_app_id', title: 'Target app' },
            { key: 'success', title: 'Success', format: 'bool' },
            { key: 'details', title: 'Details', format: 'long' },
            { key: 'hash', title: 'Hash' },
          ]}
        />
      </Panel>
    </div>
  );
}

function ChainStatus({ result }: { result: VerifyResult }) {
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    return <div className="error-text">The service answered the verification with something else</div>;
  }
  if (result.ok) {
    return (
      <div className="chain-ok">
        <StatusDot level="ok" label="intact" /> {result.checked} events, head{' '}
        <code>{result.lastHash.slice(0, 16)}…</code>
      </div>
    );
  }
  return (
    <div className="chain-broken">
      <StatusDot level="bad" label={`broken (${result.broken?.kind ?? 'unknown'})`} /> after {result.checked} good
      events
      {result.broken !== null && <p>{result.broken.message}</p>}
    </div>
  );
}
