// The URL is the view's state: path = view, `range` or `from`/`to` = time, other parameters = the view's own.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { parseRange, type TimeRange, writeRange } from '../time/range.js';

/** The views, by their path segment. */
export const VIEW_NAMES = ['system', 'llm', 'agents', 'errors', 'alerts', 'audit', 'explore'] as const;
/** A view's path segment. */
export type ViewName = (typeof VIEW_NAMES)[number];

/** Where the user is: view, time range and the view's own parameters (query, filters, tab). */
export interface AppLocation {
  view: ViewName;
  range: TimeRange;
  params: URLSearchParams;
}

/** A change of location: a new view drops the old view's parameters unless new ones are given. */
export interface LocationChange {
  view?: ViewName;
  range?: TimeRange;
  /** Parameters to set; `undefined` or `''` removes one. */
  params?: Record<string, string | undefined>;
}

/** Reads a location from a path and query string. */
export function parseLocation(pathname: string, search: string): AppLocation {
  const segment = pathname.replace(/^\/+|\/+$/g, '').split('/')[0] ?? '';
  const view = (VIEW_NAMES as readonly string[]).includes(segment) ? (segment as ViewName) : 'system';
  const params = new URLSearchParams(search);
  const range = parseRange(params);
  for (const key of ['range', 'from', 'to']) params.delete(key);
  return { view, range, params };
}

/** The URL of a location (path and query), the inverse of `parseLocation`. */
export function hrefOf(location: AppLocation): string {
  const params = new URLSearchParams();
  writeRange(location.range, params);
  for (const [key, value] of location.params) params.append(key, value);
  const query = params.toString();
  return `/${location.view}${query === '' ? '' : `?${query}`}`;
}

/** Applies a change to a location. */
export function applyChange(location: AppLocation, change: LocationChange): AppLocation {
  const view = change.view ?? location.view;
  const params = new URLSearchParams(view === location.view ? location.params : undefined);
  for (const [key, value] of Object.entries(change.params ?? {})) {
    if (value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  return { view, range: change.range ?? location.range, params };
}

/** The current location and the way to change it. */
export interface Navigation {
  location: AppLocation;
  navigate(change: LocationChange, options?: { replace?: boolean }): void;
}

/** Provided by the shell. */
export const NavigationContext = createContext<Navigation | undefined>(undefined);

/** The location and `navigate`, inside the shell. */
export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (value === undefined) throw new Error('useNavigation outside of the app shell');
  return value;
}

/** Keeps a location in sync with the browser's address bar and history. */
export function useBrowserLocation(): Navigation {
  const read = () => parseLocation(window.location.pathname, window.location.search);
  const [location, setLocation] = useState<AppLocation>(read);
  useEffect(() => {
    const onPop = () => setLocation(parseLocation(window.location.pathname, window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((change: LocationChange, options: { replace?: boolean } = {}) => {
    setLocation((current) => {
      const next = applyChange(current, change);
      const href = hrefOf(next);
      if (href !== window.location.pathname + window.location.search) {
        if (options.replace === true) window.history.replaceState(null, '', href);
        else window.history.pushState(null, '', href);
      }
      return next;
    });
  }, []);
  return useMemo(() => ({ location, navigate }), [location, navigate]);
}
