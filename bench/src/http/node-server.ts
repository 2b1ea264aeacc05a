// Child: the bare node:http hello world, the baseline of every node:http case. With
// `--async-local-storage` the handler runs inside `AsyncLocalStorage.run`, as any request
// context does (Vigil's correlation, OpenTelemetry's context manager): the floor of their cost
// on this Node.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hello, serve } from './serve.js';

if (process.argv.includes('--async-local-storage')) {
  const storage = new AsyncLocalStorage<number>();
  let contexts = 0;
  let next = 0;
  const inContext = (req: IncomingMessage, res: ServerResponse, id: number) => {
    if (storage.getStore() === id) contexts++;
    hello(req, res);
  };
  serve(
    (req, res) => {
      const id = ++next;
      storage.run(id, inContext, req, res, id);
    },
    async () => ({ contexts }),
  );
} else {
  serve(hello);
}
