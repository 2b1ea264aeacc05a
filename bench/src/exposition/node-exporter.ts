// Captures what a real prometheus-node-exporter serves, for the benchmark's second workload.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const BINARY = 'prometheus-node-exporter';
const READY_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The node exporter's /metrics text, or undefined (with the reason) when it cannot run here. */
export async function captureNodeExporter(): Promise<{ text?: string; reason?: string }> {
  const port = await freePort();
  const child = spawn(BINARY, [`--web.listen-address=127.0.0.1:${port}`, '--no-collector.textfile'], {
    stdio: 'ignore',
  });
  const failed = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`${BINARY} did not start (${error.message}); apt-get install ${BINARY}`));
    child.once('exit', (code) => resolve(`${BINARY} exited (${code})`));
  });
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const reason = await Promise.race([
        failed,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
      ]);
      if (reason !== undefined) return { reason };
      try {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return { text: await response.text() };
      } catch {}
    }
    return { reason: `${BINARY} not ready within ${READY_TIMEOUT_MS} ms` };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
