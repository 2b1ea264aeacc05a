// Audit: the hash chain's integrity, the events with filters, and the audit writer's own metrics.
import { useNavigation } from '../../app/location.js';
import { ChartPanel } from '../../chart/QueryPanels.js';
import { ApiTable } from '../../ui/ApiTable.js';
import { Panel } from '../../ui/Panel.js';

const FILTERS = [
  { key: 'actor', title: 'Actor' },
  { key: 'action', title: 'Action' },
  { key: 'resource', title: 'Resource' },
] as const;

/** The audit view. */
export function AuditView() {
  const { location, navigate } = useNavigation();
  const get = (key: string) => location.params.get(key) ?? '';
  const params = Object.fromEntries(FILTERS.map((f) => [f.key, get(f.key) || undefined]));
  return (
    <div className="grid">
      <Panel title="Chain integrity" span={4}>
        <ApiTable path="/api/vigil/audit/verify" what="Chain verification needs the audit API" />
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
          withRange
          what="The audit log needs the audit API"
          columns={['seq', 'at', 'actor', 'action', 'resource', 'outcome', 'hash']}
        />
      </Panel>
    </div>
  );
}
