// The polling feed: a tick every few seconds while the page is visible (stream-feed.ts is the pushed one).

import type { LiveFeed } from './live-feed.js';

export type { LiveFeed } from './live-feed.js';

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
