// Errors: frequency over time from metrics, and the filterable log table with correlation drill-down.
import { useNavigation } from '../../app/location.js';
import { ChartPanel } from '../../chart/QueryPanels.js';
import { ApiTable } from '../../ui/ApiTable.js';
import { Panel } from '../../ui/Panel.js';

const FILTERS = [
  { key: 'service', title: 'Service', placeholder: 'any' },
  { key: 'component', title: 'Component', placeholder: 'any' },
  { key: 'event', title: 'Event type', placeholder: 'e.g. api.call.failed' },
  { key: 'correlation_id', title: 'Correlation id', placeholder: 'X-Request-ID' },
] as const;

const SEVERITIES = ['', 'warning', 'error', 'critical'];

/** The errors view. */
export function ErrorsView() {
  const { location, navigate } = useNavigation();
  const get = (key: string) => location.params.get(key) ?? '';
  const set = (key: string, value: string) => navigate({ params: { [key]: value } }, { replace: true });
  const params = {
    ...Object.fromEntries(FILTERS.map((f) => [f.key, get(f.key) || undefined])),
    severity: get('severity') || undefined,
  };
  return (
    <div className="grid">
      <ChartPanel
        title="Errors per minute by service"
        span={6}
        unit="short"
        queries={[
          { expr: 'sum by (job) (rate(http_request_errors_total[$window])) * 60', legend: '{{job}} http 5xx' },
          {
            expr: 'sum by (job, error_type) (rate(vigil_gen_ai_client_errors_total[$window])) * 60',
            legend: '{{job}} llm {{error_type}}',
          },
          {
            expr: 'sum by (job, status) (rate(vigil_agent_invocations_total{status!="ok"}[$window])) * 60',
            legend: '{{job}} agent {{status}}',
          },
        ]}
      />
      <ChartPanel
        title="Targets down by service"
        span={6}
        queries={[{ expr: 'sum by (job) (up == bool 0)', legend: '{{job}}' }]}
      />
      <Panel title="Log events" span={12}>
        <div className="filters">
          {FILTERS.map((f) => (
            <label key={f.key}>
              {f.title}
              <input
                type="search"
                value={get(f.key)}
                placeholder={f.placeholder}
                onChange={(event) => set(f.key, event.target.value)}
              />
            </label>
          ))}
          <label>
            Severity
            <select value={get('severity')} onChange={(event) => set('severity', event.target.value)}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s === '' ? 'warning and above' : s}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ApiTable
          path="/api/vigil/logs"
          params={params}
          withRange
          what="The log table needs log ingest"
          columns={['time', 'level', 'service', 'component', 'event', 'msg', 'correlation_id', 'stack']}
        />
      </Panel>
    </div>
  );
}
