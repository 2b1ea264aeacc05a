// Loads data for a view and reloads it on every tick of the live feed, keeping the last answer on screen.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.js';
import { type LiveFeed, pausedFeed } from './feed.js';

/** What the views share: the API client and the live feed. */
export interface DataContext {
  client: ApiClient;
  feed: LiveFeed;
}

/** Set by the app shell once the user is signed in. */
export const DataContextValue = createContext<DataContext | undefined>(undefined);

/** The signed-in API client and the live feed. */
export function useData(): DataContext {
  const value = useContext(DataContextValue);
  if (value === undefined) throw new Error('useData outside of the signed-in app');
  return value;
}

/** State of one loaded resource. */
export interface LiveData<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** When the last load finished (ms since epoch). */
  updatedAt: number | undefined;
}

/**
 * Runs `load` now, whenever `key` changes (a string naming everything `load` depends on), and on each tick
 * of the feed. A newer run aborts the one in flight; the previous data stays until the new one arrives.
 */
export function useLiveData<T>(key: string, load: (signal: AbortSignal) => Promise<T>, live = true): LiveData<T> {
  const { feed } = useData();
  const loadRef = useRef(load);
  loadRef.current = load;
  const [state, setState] = useState<LiveData<T>>({
    data: undefined,
    error: undefined,
    loading: true,
    updatedAt: undefined,
  });
  const keyRef = useRef(key);

  useEffect(() => {
    let controller: AbortController | undefined;
    const changed = keyRef.current !== key;
    keyRef.current = key;
    const run = () => {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      setState((previous) => ({ ...previous, loading: true }));
      loadRef.current(current.signal).then(
        (data) => {
          if (!current.signal.aborted) setState({ data, error: undefined, loading: false, updatedAt: Date.now() });
        },
        (error: unknown) => {
          if (current.signal.aborted) return;
          const asError = error instanceof Error ? error : new Error(String(error));
          setState((previous) => ({ ...previous, error: asError, loading: false, updatedAt: Date.now() }));
        },
      );
    };
    // A different key means different data: the old one would mislead while the new one loads.
    if (changed) setState({ data: undefined, error: undefined, loading: true, updatedAt: undefined });
    run();
    const unsubscribe = (live ? feed : pausedFeed).subscribe(run);
    return () => {
      unsubscribe();
      controller?.abort();
    };
  }, [key, feed, live]);

  return state;
}
