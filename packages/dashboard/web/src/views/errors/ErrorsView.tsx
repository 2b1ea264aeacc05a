// Errors: frequency over time (metrics and the log timeline), and the log table with correlation drill-down.
import { useNavigation } from '../../app/location.js';
import { ChartPanel } from '../../chart/QueryPanels.js';
import { ApiTable } from '../../ui/ApiTable.js';
import { Panel } from '../../ui/Panel.js';
import { LogTimelinePanel } from './LogTimelinePanel.js';

const FILTERS = [
  { key: 'service', title: 'Service', placeholder: 'any' },
  { key: 'component', title: 'Component', placeholder: 'any' },
  { key: 'event', title: 'Event type', placeholder: 'e.g. llm.call.failed' },
  { key: 'correlation_id', title: 'Correlation id', placeholder: 'X-Request-ID' },
  { key: 'text', title: 'Search', placeholder: 'words in message or error' },
] as const;

const SEVERITIES = [
  { value: '', label: 'warning and above' },
  { value: 'error', label: 'error and above' },
  { value: 'critical', label: 'critical' },
];

/** The errors view. */
export function ErrorsView() {
  const { location, navigate } = useNavigation();
  const get = (key: string) => location.params.get(key) ?? '';
  const set = (key: string, value: string) => navigate({ params: { [key]: value } }, { replace: true });
  const minLevel = get('severity') || 'warning';
  const params = {
    ...Object.fromEntries(FILTERS.map((f) => [f.key, get(f.key) || undefined])),
    min_level: minLevel,
    order: 'desc',
    limit: 200,
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
      <LogTimelinePanel service={get('service')} minLevel={minLevel} />
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
            <select
              aria-label="Severity"
              value={get('severity')}
              onChange={(event) => set('severity', event.target.value)}
            >
              {SEVERITIES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ApiTable
          path="/api/vigil/logs"
          params={params}
          rangeParams={['since', 'until']}
          what="The log table needs log ingest"
          columns={[
            { key: 'ts', title: 'Time', format: 'time' },
            { key: 'level', title: 'Level' },
            { key: 'service', title: 'Service' },
            { key: 'component', title: 'Component' },
            { key: 'event', title: 'Event' },
            { key: 'message', title: 'Message', format: 'long' },
            // The drill-down: every line of the same request, across services.
            { key: 'correlation_id', title: 'Correlation', onClick: (id) => set('correlation_id', id) },
            { key: 'error', title: 'Error / stack', format: 'long' },
          ]}
        />
      </Panel>
    </div>
  );
}
