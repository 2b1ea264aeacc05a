// The fake agent service Prometheus scrapes: the demo workload's SDK metrics and a real SDK `/health`.
import { createServer, type Server } from 'node:http';
import { AdminAuth, createHealth, probeRoutes } from '@vigil/sdk/health';
import type { DemoWorkload } from './demo-workload.js';

/** A running fake agent. */
export interface AgentServer {
  url: string;
  /** Start serving metrics (before, `/metrics` answers 503 so no scrape moves the workload's clock). */
  open(): void;
  close(): Promise<void>;
}

/** Serves `workload` on `port`; each scrape first advances the workload to now. */
export async function startAgentServer(workload: DemoWorkload, port: number, adminToken: string): Promise<AgentServer> {
  const health = createHealth({ service: 'support-agent', version: '1.4.0' });
  health.check('sqlite', () => true, { kind: 'database', critical: true });
  health.check('llm-provider', () => ({ status: 'degraded', detail: 'p95 latency above 5 s' }), { kind: 'dependency' });
  health.check('github-mcp', () => 'ok', { kind: 'mcp_server', readiness: false });
  const routes = probeRoutes({ health, auth: new AdminAuth({ tokens: [adminToken] }), metrics: workload.metrics });
  let open = false;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/metrics') {
      if (!open) {
        res.writeHead(503).end('replaying history');
        return;
      }
      workload.advanceTo(Date.now());
    }
    routes({ method: req.method ?? 'GET', path, headers: req.headers }).then(
      (answer) => {
        if (answer === undefined) res.writeHead(404).end();
        else res.writeHead(answer.status, answer.headers).end(answer.body);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
