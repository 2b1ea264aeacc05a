// What views subscribe to for refreshes; polling (feed.ts) and the pushed stream (stream-feed.ts) implement it.

/** A source of refresh signals that views subscribe to. */
export interface LiveFeed {
  /** Calls `onChange` whenever data may have changed; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}
