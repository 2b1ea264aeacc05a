// Every scrape target: state, endpoint, labels, last scrape and its error.
import type { ActiveTarget } from '../../api/prometheus.js';
import { formatValue } from '../../chart/units.js';
import { formatAgo } from '../../time/range.js';
import { LabelChips, StatusDot } from '../../ui/Panel.js';
import { LEVEL_TEXT, targetLevel } from './targets.js';

/** The targets table. */
export function TargetsTable({ targets }: { targets: ActiveTarget[] }) {
  const now = Date.now();
  if (targets.length === 0) return <div className="empty">No targets match</div>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>State</th>
            <th>Endpoint</th>
            <th>Service</th>
            <th>Labels</th>
            <th>Last scrape</th>
            <th className="num">Duration</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => {
            const level = targetLevel(target, now);
            const last = Date.parse(target.lastScrape);
            return (
              <tr key={`${target.scrapePool}|${target.scrapeUrl}`}>
                <td>
                  <StatusDot level={level} label={LEVEL_TEXT[level]} />
                </td>
                <td className="mono">{target.scrapeUrl}</td>
                <td>{target.scrapePool}</td>
                <td>
                  <LabelChips labels={target.labels} skip={['job', 'instance']} />
                </td>
                <td title={target.lastScrape}>
                  {Number.isFinite(last) && last > 0 ? formatAgo(last, now) : 'never'}
                  {target.scrapeInterval !== undefined && (
                    <span className="muted"> / every {target.scrapeInterval}</span>
                  )}
                </td>
                <td className="num">{formatValue(target.lastScrapeDuration, 'seconds')}</td>
                <td className="error-text">{target.lastError}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
