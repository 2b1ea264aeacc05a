// System health: services and targets as traffic lights, firing alerts, and each service's component health.
import { useMemo } from 'react';
import { type ActiveTarget, prometheusApi } from '../../api/prometheus.js';
import { useNavigation } from '../../app/location.js';
import { ChartPanel } from '../../chart/QueryPanels.js';
import { formatValue } from '../../chart/units.js';
import { useData, useLiveData } from '../../live/use-live-data.js';
import { Loaded, Panel, Stat, StatusDot } from '../../ui/Panel.js';
import { ComponentHealthPanel } from './ComponentHealthPanel.js';
import { FiringAlertsPanel } from './FiringAlertsPanel.js';
import { TargetsTable } from './TargetsTable.js';
import { LEVEL_TEXT, summarizeServices } from './targets.js';

/** The system health view. */
export function SystemView() {
  const { client } = useData();
  const targets = useLiveData('targets', (signal) => prometheusApi(client).targets(signal));
  const alerts = useLiveData('alerts', (signal) => prometheusApi(client).alerts(signal));
  const firing = alerts.data?.alerts.filter((a) => a.state === 'firing').length;
  const list = targets.data?.activeTargets;

  return (
    <div className="grid">
      <Panel title="Overview" span={12} className="stats-panel">
        <div className="stats">
          <TargetStats targets={list} />
          <Stat
            label="firing alerts"
            value={alerts.error !== undefined ? 'n/a' : firing === undefined ? '…' : String(firing)}
            level={firing === undefined ? undefined : firing > 0 ? 'bad' : 'ok'}
          />
        </div>
      </Panel>
      <Panel title="Services" span={7}>
        <Loaded state={targets} api="/api/v1/targets">
          {(data) => <ServiceTiles targets={data.activeTargets} />}
        </Loaded>
      </Panel>
      <FiringAlertsPanel state={alerts} span={5} />
      <Panel title="Targets" span={12}>
        <Loaded state={targets} api="/api/v1/targets">
          {(data) => <FilteredTargets targets={data.activeTargets} />}
        </Loaded>
      </Panel>
      <ComponentHealthPanel targets={list} />
      <ChartPanel
        title="CPU per service"
        span={4}
        height={150}
        unit="percent"
        queries={[{ expr: 'sum by (job) (rate(process_cpu_seconds_total[$window]))', legend: '{{job}}' }]}
      />
      <ChartPanel
        title="Memory per service (RSS)"
        span={4}
        height={150}
        unit="bytes"
        queries={[{ expr: 'sum by (job) (process_resident_memory_bytes)', legend: '{{job}}' }]}
      />
      <ChartPanel
        title="Disk used (node exporter)"
        span={4}
        height={150}
        unit="percent"
        queries={[
          {
            expr: 'max by (instance, mountpoint) (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"})',
            legend: '{{instance}} {{mountpoint}}',
          },
        ]}
      />
    </div>
  );
}

function TargetStats({ targets }: { targets: ActiveTarget[] | undefined }) {
  if (targets === undefined) return <Stat label="targets up" value="…" />;
  const up = targets.filter((t) => t.health === 'up').length;
  const down = targets.filter((t) => t.health === 'down').length;
  const slowest = Math.max(0, ...targets.map((t) => t.lastScrapeDuration));
  return (
    <>
      <Stat label="targets up" value={`${up} / ${targets.length}`} level={down > 0 ? 'warn' : 'ok'} />
      <Stat label="targets down" value={String(down)} level={down > 0 ? 'bad' : 'ok'} />
      <Stat label="services" value={String(new Set(targets.map((t) => t.scrapePool)).size)} />
      <Stat label="slowest scrape" value={formatValue(slowest, 'seconds')} />
    </>
  );
}

function ServiceTiles({ targets }: { targets: ActiveTarget[] }) {
  const services = summarizeServices(targets, Date.now());
  if (services.length === 0) return <div className="empty">No scrape targets configured</div>;
  return (
    <ul className="tiles">
      {services.map((service) => (
        <li key={service.name} className={`tile tile-${service.level}`}>
          <span className="tile-name" title={service.name}>
            {service.name}
          </span>
          <StatusDot level={service.level} label={`${LEVEL_TEXT[service.level]} · ${service.up}/${service.total}`} />
        </li>
      ))}
    </ul>
  );
}

function FilteredTargets({ targets }: { targets: ActiveTarget[] }) {
  const { location, navigate } = useNavigation();
  const job = location.params.get('job') ?? '';
  const search = location.params.get('q') ?? '';
  const pools = useMemo(() => [...new Set(targets.map((t) => t.scrapePool))].sort(), [targets]);
  const shown = targets.filter(
    (t) =>
      (job === '' || t.scrapePool === job) &&
      (search === '' ||
        JSON.stringify([t.scrapeUrl, t.labels, t.lastError]).toLowerCase().includes(search.toLowerCase())),
  );
  return (
    <>
      <div className="filters">
        <label>
          Service
          <select
            value={job}
            onChange={(event) => navigate({ params: { job: event.target.value } }, { replace: true })}
          >
            <option value="">all</option>
            {pools.map((pool) => (
              <option key={pool} value={pool}>
                {pool}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input
            type="search"
            value={search}
            placeholder="url, label, error"
            onChange={(event) => navigate({ params: { q: event.target.value } }, { replace: true })}
          />
        </label>
        <span className="muted">
          {shown.length} of {targets.length}
        </span>
      </div>
      <TargetsTable targets={shown} />
    </>
  );
}
