// The frame around every view: navigation, time range, live switch, sign-out.
import type { MouseEvent, ReactNode } from 'react';
import { TimePicker } from '../time/TimePicker.js';
import { AgentsView } from '../views/agents/AgentsView.js';
import { AlertsView } from '../views/alerts/AlertsView.js';
import { AuditView } from '../views/audit/AuditView.js';
import { ErrorsView } from '../views/errors/ErrorsView.js';
import { ExploreView } from '../views/explore/ExploreView.js';
import { LlmView } from '../views/llm/LlmView.js';
import { SystemView } from '../views/system/SystemView.js';
import {
  type AppLocation,
  applyChange,
  hrefOf,
  NavigationContext,
  useBrowserLocation,
  type ViewName,
} from './location.js';

const VIEWS: Record<ViewName, { title: string; render: () => ReactNode }> = {
  system: { title: 'System health', render: () => <SystemView /> },
  llm: { title: 'LLM & cost', render: () => <LlmView /> },
  agents: { title: 'Agents', render: () => <AgentsView /> },
  errors: { title: 'Errors', render: () => <ErrorsView /> },
  alerts: { title: 'Alerts', render: () => <AlertsView /> },
  audit: { title: 'Audit', render: () => <AuditView /> },
  explore: { title: 'Explore', render: () => <ExploreView /> },
};

/** Props of the shell. */
export interface ShellProps {
  live: boolean;
  onLiveChange: (live: boolean) => void;
  /** Absent when the service runs without admin auth. */
  onSignOut: (() => void) | undefined;
  refreshSeconds: number;
}

/** Header and the current view. */
export function Shell(props: ShellProps) {
  const navigation = useBrowserLocation();
  const { location, navigate } = navigation;
  const current = VIEWS[location.view];
  return (
    <NavigationContext.Provider value={navigation}>
      <header className="topbar">
        <a className="brand" href="/system" onClick={(event) => follow(event, () => navigate({ view: 'system' }))}>
          <span className="brand-mark" aria-hidden="true" />
          Vigil
        </a>
        <nav aria-label="views">
          {(Object.keys(VIEWS) as ViewName[]).map((view) => (
            <a
              key={view}
              href={viewHref(location, view)}
              aria-current={view === location.view ? 'page' : undefined}
              onClick={(event) => follow(event, () => navigate({ view }))}
            >
              {VIEWS[view].title}
            </a>
          ))}
        </nav>
        <div className="topbar-tools">
          <TimePicker range={location.range} onChange={(range) => navigate({ range })} />
          <button
            type="button"
            className={`live-toggle ${props.live ? 'on' : ''}`}
            aria-pressed={props.live}
            title={props.live ? `Refreshing every ${props.refreshSeconds}s: click to pause` : 'Paused: click to resume'}
            onClick={() => props.onLiveChange(!props.live)}
          >
            {props.live ? 'Live' : 'Paused'}
          </button>
          {props.onSignOut !== undefined && (
            <button type="button" className="ghost" onClick={props.onSignOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main className="view" aria-label={current.title}>
        {current.render()}
      </main>
    </NavigationContext.Provider>
  );
}

function viewHref(location: AppLocation, view: ViewName): string {
  return hrefOf(applyChange(location, { view }));
}

/** Plain clicks stay in the app; modified clicks (new tab, ...) are left to the browser. */
function follow(event: MouseEvent<HTMLAnchorElement>, go: () => void): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  go();
}
