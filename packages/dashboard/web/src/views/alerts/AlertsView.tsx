// Alerts: firing and pending from `/api/v1/alerts`, rules from `/api/v1/rules`, silences and history from Vigil.
import { prometheusApi } from '../../api/prometheus.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { ApiTable, type Column } from '../../ui/ApiTable.js';
import { Empty, LabelChips, Loaded, Panel, StatusDot } from '../../ui/Panel.js';
import { AlertList } from '../system/FiringAlertsPanel.js';
import { SilenceForm } from './SilenceForm.js';

/** The alerts view. */
export function AlertsView() {
  const { client } = useData();
  const alerts = useLiveData('alerts', (signal) => prometheusApi(client).alerts(signal));
  const rules = useLiveData('rules', (signal) => prometheusApi(client).rules(signal));
  return (
    <div className="grid">
      <Panel title="Firing" span={6}>
        <Loaded state={alerts} api="/api/v1/alerts" what="Alerting not available">
          {(data) => <AlertList alerts={data.alerts} states={['firing']} />}
        </Loaded>
      </Panel>
      <Panel title="Pending" span={6}>
        <Loaded state={alerts} api="/api/v1/alerts" what="Alerting not available">
          {(data) => <AlertList alerts={data.alerts} states={['pending']} />}
        </Loaded>
      </Panel>
      <Panel title="Alert rules" span={12}>
        <Loaded state={rules} api="/api/v1/rules" what="Rules not available">
          {(data) => {
            const all = data.groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').map((r) => ({ g, r })));
            if (all.length === 0) return <Empty>No alerting rules loaded</Empty>;
            return (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>State</th>
                      <th>Rule</th>
                      <th>Group</th>
                      <th>Expression</th>
                      <th>For</th>
                      <th>Labels</th>
                      <th>Health</th>
                    </tr>
                  </thead>
                  <tbody>
                    {all.map(({ g, r }) => (
                      <tr key={`${g.file}|${g.name}|${r.name}|${r.query}`}>
                        <td>
                          <StatusDot
                            level={r.state === 'firing' ? 'bad' : r.state === 'pending' ? 'warn' : 'ok'}
                            label={r.state ?? 'inactive'}
                          />
                        </td>
                        <td>{r.name}</td>
                        <td className="muted">{g.name}</td>
                        <td className="mono">{r.query}</td>
                        <td>{r.duration === undefined ? '' : `${r.duration}s`}</td>
                        <td>
                          <LabelChips labels={r.labels ?? {}} />
                        </td>
                        <td className={r.health === 'ok' ? '' : 'error-text'}>{r.lastError || r.health}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </Loaded>
      </Panel>
      <Panel title="Silences" span={6}>
        <ApiTable path="/api/vigil/silences" what="Silences need the alerting API" columns={SILENCE_COLUMNS} />
        <SilenceForm />
      </Panel>
      <Panel title="History" span={6}>
        <ApiTable
          path="/api/vigil/alerts/history"
          rangeParams={['since', 'until']}
          what="Alert history needs the alerting API"
          columns={HISTORY_COLUMNS}
        />
      </Panel>
    </div>
  );
}

/** A silence as the service lists it (Alertmanager's gettableSilence). */
const SILENCE_COLUMNS: Column[] = [
  { key: 'state', title: 'State', value: (row) => (row.status as { state?: string } | undefined)?.state },
  {
    key: 'matchers',
    title: 'Matchers',
    value: (row) =>
      (row.matchers as { name: string; value: string; isRegex?: boolean; isEqual?: boolean }[] | undefined)
        ?.map((m) => `${m.name}${m.isEqual === false ? '!' : '='}${m.isRegex ? '~' : ''}"${m.value}"`)
        .join(', '),
  },
  { key: 'endsAt', title: 'Until' },
  { key: 'createdBy', title: 'By' },
  { key: 'comment', title: 'Comment', format: 'long' },
];

/** One state change of an alert (ts as RFC 3339). */
const HISTORY_COLUMNS: Column[] = [
  { key: 'ts', title: 'Time' },
  { key: 'alertname', title: 'Alert' },
  { key: 'state', title: 'State' },
  { key: 'group', title: 'Group' },
  { key: 'value', title: 'Value' },
];
