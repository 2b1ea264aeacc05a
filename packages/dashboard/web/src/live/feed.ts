// When views refresh: a feed says "new data may be there". Polling today; a push stream can replace it.

/** A source of refresh signals that views subscribe to. */
export interface LiveFeed {
  /** Calls `onChange` whenever data may have changed; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}

/**
 * A feed that ticks every `intervalMs` while the page is visible, and once when it becomes visible
 * again, so a tab in the background costs the service nothing.
 */
export function pollingFeed(intervalMs: number): LiveFeed {
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    if (document.visibilityState !== 'visible') return;
    for (const listener of listeners) listener();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') tick();
  };
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      if (listeners.size === 1) {
        timer = setInterval(tick, intervalMs);
        document.addEventListener('visibilitychange', onVisibility);
      }
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) {
          clearInterval(timer);
          document.removeEventListener('visibilitychange', onVisibility);
        }
      };
    },
  };
}

/** A feed that never ticks (live updates paused). */
export const pausedFeed: LiveFeed = { subscribe: () => () => {} };
