// Sends prepared bodies with a fixed number of requests in flight and times them: the clock
// starts with the first request and stops when the last one was answered 2xx (committed).
import type { Body } from './bodies.js';

/** Sends every body to `base`, `concurrency` at a time; resolves with the wall time in ms. Any non-2xx fails the run. */
export async function sendAll(base: string, bodies: readonly Body[], concurrency: number): Promise<number> {
  let index = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const body = bodies[index++];
      if (body === undefined) return;
      const response = await fetch(`${base}${body.path}`, { method: 'POST', headers: body.headers, body: body.bytes });
      const text = await response.text();
      if (!response.ok) throw new Error(`${body.path} answered ${response.status}: ${text.slice(0, 200)}`);
      if (/"rejected[A-Za-z]*":"?[1-9]/.test(text))
        throw new Error(`${body.path} refused records: ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}
