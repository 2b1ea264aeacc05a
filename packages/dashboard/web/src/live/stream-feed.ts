// A live feed pushed by the service: Server-Sent Events read through fetch (EventSource cannot send the
// bearer token). Any event means "data may have changed". While the route is missing or broken, a
// fallback feed (polling) ticks instead.
import type { LiveFeed } from './live-feed.js';

/** The Vigil route that pushes change events as `text/event-stream`. The one place that names it. */
export const EVENTS_PATH = '/api/vigil/events';

/** Options of `streamFeed`. */
export interface StreamFeedOptions {
  /** The admin token ('' without admin auth). */
  token: string;
  /** Ticks while the stream is not there (404: for good) or broken (until the next try). */
  fallback: LiveFeed;
  /** Called on a 401. */
  onUnauthorized?: () => void;
  /** Wait before reconnecting a broken stream (default 15 s). */
  retryMs?: number;
  /** At most one tick per this many ms, however many events arrive (default 1 s). */
  minIntervalMs?: number;
  fetch?: typeof fetch;
  baseUrl?: string;
}

/** A feed that follows the service's event stream, falling back to `options.fallback`. */
export function streamFeed(options: StreamFeedOptions): LiveFeed {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retryMs = options.retryMs ?? 15_000;
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const listeners = new Set<() => void>();
  let controller: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let leaveFallback: (() => void) | undefined;
  let lastTick = 0;
  let trailing: ReturnType<typeof setTimeout> | undefined;

  const notify = () => {
    for (const listener of listeners) listener();
  };
  const tick = () => {
    const wait = lastTick + minIntervalMs - Date.now();
    if (wait <= 0) {
      lastTick = Date.now();
      notify();
    } else if (trailing === undefined) {
      trailing = setTimeout(() => {
        trailing = undefined;
        lastTick = Date.now();
        notify();
      }, wait);
    }
  };
  const setFallback = (on: boolean) => {
    if (on && leaveFallback === undefined) leaveFallback = options.fallback.subscribe(notify);
    if (!on && leaveFallback !== undefined) {
      leaveFallback();
      leaveFallback = undefined;
    }
  };

  const connect = async () => {
    const current = new AbortController();
    controller = current;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.token !== '') headers.authorization = `Bearer ${options.token}`;
    try {
      const response = await doFetch((options.baseUrl ?? '') + EVENTS_PATH, { headers, signal: current.signal });
      if (response.status === 401) options.onUnauthorized?.();
      if (response.status === 404) {
        // No push on this service: polling for good.
        setFallback(true);
        return;
      }
      if (!response.ok || response.body === null) throw new Error(`events answered ${response.status}`);
      setFallback(false);
      // Catch up on what changed while not connected.
      tick();
      await readEvents(response.body, tick);
      throw new Error('events stream ended');
    } catch {
      if (current.signal.aborted) return;
      setFallback(true);
      retry = setTimeout(() => void connect(), retryMs);
    }
  };

  const stop = () => {
    controller?.abort();
    controller = undefined;
    clearTimeout(retry);
    clearTimeout(trailing);
    trailing = undefined;
    setFallback(false);
  };

  return {
    subscribe(onChange) {
      listeners.add(onChange);
      if (listeners.size === 1) void connect();
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) stop();
      };
    },
  };
}

/** Calls `onEvent` for every complete event (a `data:` block ended by a blank line) of an SSE body. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let hasData = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (hasData) onEvent();
        hasData = false;
      } else if (line.startsWith('data')) {
        hasData = true;
      }
      newline = buffer.search(/\r\n|\r|\n/);
    }
  }
}
