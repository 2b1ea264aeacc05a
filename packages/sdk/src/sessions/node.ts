import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProbe } from '../http/probes.js';
import { SESSION_PATHS, sessionRoutes } from './routes.js';
import { SessionStream, type SessionStreamOptions } from './stream.js';

/** A connect-style middleware serving the session routes, with its stream for `close()` and stats. */
export type SessionAdminMiddleware = ((
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => void) & {
  readonly stream: SessionStream;
};

/**
 * Every session route on node:http or Express: the JSON routes and the event stream under
 * `/admin/sessions`, admin auth on all of them; other requests go to `next` (404 without one).
 */
export function sessionAdmin(options: SessionStreamOptions & { stream?: SessionStream }): SessionAdminMiddleware {
  const routes = sessionRoutes(options);
  const stream = options.stream ?? new SessionStream(options);
  const middleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const [path = '/', query] = (req.url ?? '/').split('?', 2);
    if (path === SESSION_PATHS.stream && req.method === 'GET') {
      stream.handle(req, res).catch((err: unknown) => (next ? next(err) : fail(res)));
      return;
    }
    routes({ method: req.method ?? 'GET', path, headers: req.headers, query }).then(
      (response) => {
        if (response !== undefined) sendProbe(req, res, response);
        else if (next) next();
        else {
          res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
          res.end('{"error":"not found"}');
        }
      },
      (err: unknown) => (next ? next(err) : fail(res)),
    );
  };
  return Object.assign(middleware, { stream });
}

function fail(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"error":"internal error"}');
}
