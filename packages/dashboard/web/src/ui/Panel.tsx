// The boxes a view is made of, and the states a box can be in (loading, error, API not there yet).
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

/** A titled box of the grid; `span` is its width in columns of 12. */
export function Panel(props: {
  title: string;
  span?: number;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const span = props.span ?? 12;
  return (
    <section className={`panel span-${span} ${props.className ?? ''}`} aria-label={props.title}>
      <header className="panel-header">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      <div className="panel-body">{props.children}</div>
    </section>
  );
}

/** What a panel shows when the service does not have the route it needs yet. */
export function NeedsApi({ api, what }: { api: string; what?: string }) {
  return (
    <div className="empty needs-api">
      <strong>{what ?? 'Not available yet'}</strong>
      <span>
        needs <code>{api}</code> on the service
      </span>
    </div>
  );
}

/** A quiet message in place of content. */
export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** An error as the service gave it: Prometheus `errorType` and message. */
export function ErrorMessage({ error }: { error: Error }) {
  const type = error instanceof ApiError ? error.errorType : undefined;
  return (
    <div className="error-box" role="alert">
      {type !== undefined && <span className="error-type">{type}</span>}
      <span>{error.message}</span>
    </div>
  );
}

/**
 * Renders `children(data)` once data is there; before that a loading line, an error box, or the
 * needs-API state when the route answers 404.
 */
export function Loaded<T>(props: {
  state: { data: T | undefined; error: Error | undefined };
  api?: string;
  what?: string;
  children: (data: T) => ReactNode;
}) {
  const { data, error } = props.state;
  if (error instanceof ApiError && error.notAvailable && props.api !== undefined) {
    return <NeedsApi api={props.api} what={props.what} />;
  }
  return (
    <>
      {error !== undefined && <ErrorMessage error={error} />}
      {data !== undefined ? props.children(data) : error === undefined && <div className="loading">Loading…</div>}
    </>
  );
}

/** Warnings and infos the query engine attached to an answer. */
export function QueryNotesList({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="query-notes">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

/** A green/yellow/red dot with its meaning as text for screen readers and tests. */
export function StatusDot({ level, label }: { level: 'ok' | 'warn' | 'bad' | 'unknown'; label: string }) {
  return (
    <span className={`status status-${level}`}>
      <span className="status-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** One big number with a caption. */
export function Stat(props: { label: string; value: string; level?: 'ok' | 'warn' | 'bad'; hint?: string }) {
  return (
    <div className={`stat ${props.level === undefined ? '' : `stat-${props.level}`}`} title={props.hint}>
      <div className="stat-value">{props.value}</div>
      <div className="stat-label">{props.label}</div>
    </div>
  );
}

/** Labels as `name=value` chips; values are text, whatever they contain. */
export function LabelChips({ labels, skip = [] }: { labels: Record<string, string>; skip?: string[] }) {
  const entries = Object.entries(labels).filter(([name]) => !skip.includes(name));
  return (
    <span className="chips">
      {entries.map(([name, value]) => (
        <span className="chip" key={name}>
          <span className="chip-name">{name}</span>={value}
        </span>
      ))}
    </span>
  );
}
