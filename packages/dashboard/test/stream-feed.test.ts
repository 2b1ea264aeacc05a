import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveFeed } from '../web/src/live/live-feed.js';
import { EVENTS_PATH, readEvents, streamFeed } from '../web/src/live/stream-feed.js';

/** A feed the test ticks by hand, counting its subscribers. */
function manualFeed() {
  const listeners = new Set<() => void>();
  const feed: LiveFeed = {
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
  const tick = () => {
    for (const listener of listeners) listener();
  };
  return { feed, tick, subscribers: () => listeners.size };
}

/** A body whose chunks the test pushes. */
function pushBody() {
  let push!: (text: string) => void;
  let end!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(new TextEncoder().encode(text));
      end = () => controller.close();
    },
  });
  return { body, push: (text: string) => push(text), end: () => end() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('pushed live feed', () => {
  it('reads one event per data block, across chunk boundaries and line endings', async () => {
    const { body, push, end } = pushBody();
    let events = 0;
    const done = readEvents(body, () => events++);
    push('event: scrape\ndata: {"a":1}\n\n: comment\n\nda');
    push('ta: x\r\n\r\ndata: y\n');
    await settle();
    assert.equal(events, 2);
    push('\n');
    end();
    await done;
    assert.equal(events, 3);
  });

  it('ticks on every event of the stream, with the bearer, and does not poll while connected', async () => {
    const { body, push } = pushBody();
    const fallback = manualFeed();
    const asked: { url: string; auth: string | undefined }[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      asked.push({ url, auth: (init?.headers as Record<string, string> | undefined)?.authorization });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as unknown as typeof globalThis.fetch;
    const feed = streamFeed({ token: 't0k', fallback: fallback.feed, fetch, minIntervalMs: 0 });
    let ticks = 0;
    const stop = feed.subscribe(() => ticks++);
    await settle();
    assert.deepEqual(asked, [{ url: EVENTS_PATH, auth: 'Bearer t0k' }]);
    assert.equal(ticks, 1, 'one catch-up tick on connect');
    push('data: 1\n\ndata: 2\n\n');
    await settle();
    assert.equal(ticks, 3);
    assert.equal(fallback.subscribers(), 0);
    stop();
  });

  it('polls for good when the service has no event route', async () => {
    const fallback = manualFeed();
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response('{"message":"Route not found"}', { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const feed = streamFeed({ token: '', fallback: fallback.feed, fetch, retryMs: 1 });
    let ticks = 0;
    const stop = feed.subscribe(() => ticks++);
    await settle();
    fallback.tick();
    assert.equal(ticks, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls, 1, 'no retry after a 404');
    stop();
    assert.equal(fallback.subscribers(), 0);
  });
});
