import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProbeRequest, ProbeResponse } from '../health/routes.js';
import { pathOf } from './correlation.js';

/** The probe routes as a function of a request (see `probeRoutes`). */
export type ProbeHandler = (req: ProbeRequest) => Promise<ProbeResponse | undefined>;

/** Reads a node:http request as a ProbeRequest. */
export function nodeProbeRequest(req: IncomingMessage): ProbeRequest {
  return { method: req.method ?? 'GET', path: pathOf(req.url), headers: req.headers };
}

/** Writes a probe response on a node:http response. */
export function sendProbe(req: IncomingMessage, res: ServerResponse, response: ProbeResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

/**
 * Probe routes as a connect-style middleware (node:http, Express): answers `/healthz`,
 * `/readyz`, `/health` and `/metrics`, and passes every other request to `next`.
 */
export function probes(handle: ProbeHandler) {
  return (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    handle(nodeProbeRequest(req)).then(
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
}

function fail(res: ServerResponse): void {
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"error":"internal error"}');
}
