// Starts the real Prometheus and node exporter binaries (Debian packages) that tests run against, on loopback.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A peer process listening on loopback. */
export interface RunningPeer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its temp files. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/** The full path of `binary` on PATH; throws naming the Debian package when it is missing. */
export function requireBinary(binary: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new Error(
    `${binary} is not installed: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`,
  );
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `prometheus-node-exporter` on a free loopback port. */
export async function startNodeExporter(): Promise<RunningPeer> {
  const binary = requireBinary('prometheus-node-exporter', 'prometheus-node-exporter');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The textfile collector reads a directory that may not exist here; the rest need no privileges.
  return startPeer(
    binary,
    [`--web.listen-address=127.0.0.1:${port}`, '--no-collector.textfile'],
    `${url}/metrics`,
    url,
  );
}

/**
 * Starts `prometheus` with `config` (default: scrapes nothing) and a temp storage dir on loopback: on `port`
 * when given (a config that scrapes Prometheus itself needs it up front), else on a free port. `flags` are
 * added to the command line (e.g. `--web.enable-remote-write-receiver`).
 */
export async function startPrometheus(
  configYaml = 'global:\n  scrape_interval: 1h\nscrape_configs: []\n',
  port?: number,
  flags: readonly string[] = [],
): Promise<RunningPeer> {
  const binary = requireBinary('prometheus', 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, configYaml);
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${listen}`,
    ...flags,
  ];
  return startPeer(binary, args, `${url}/-/ready`, url, () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Starts `prometheus-alertmanager` with `configYaml` (an alertmanager.yml) and a temp storage dir on a free loopback
 * port, clustering off.
 */
export async function startAlertmanager(configYaml: string): Promise<RunningPeer> {
  const binary = requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${config}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ];
  return startPeer(binary, args, `${url}/-/ready`, url, () => rmSync(dir, { recursive: true, force: true }));
}

async function startPeer(
  binary: string,
  args: string[],
  readyUrl: string,
  url: string,
  cleanup: () => void = () => {},
): Promise<RunningPeer> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    await stopChild(child, exited);
    cleanup();
  };
  try {
    await waitReady(readyUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitReady(readyUrl: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {}
    if (Date.now() > deadline) {
      throw new Error(`${child.spawnfile} not ready within ${READY_TIMEOUT_MS} ms at ${readyUrl}: ${stderr()}`);
    }
    // Polling a real process that starts on its own schedule: there is no clock to inject.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A PostgreSQL cluster on loopback. */
export interface RunningPostgres {
  /** `postgres://vigil@127.0.0.1:<port>/postgres` (trust auth: no password). */
  url: string;
  /** Stops the server (fast shutdown) and removes the cluster's temp directory. */
  stop(): Promise<void>;
}

const POSTGRES_LIB = '/usr/lib/postgresql';

/**
 * Creates a throwaway cluster with `initdb` in a temp dir (trust auth for the user `vigil`, fsync off) and starts it
 * on a free loopback port, its unix socket in the temp dir; resolves once it accepts connections. PostgreSQL refuses
 * to run as root, so as root the cluster belongs to, and runs as, the `postgres` OS user (Debian's package makes it).
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-postgres-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = async (binary: string, args: string[]) => {
    const [command, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, binary), ...args]]
      : [join(bin, binary), args];
    await execFileAsync(command, argv, { timeout: READY_TIMEOUT_MS }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`${binary} failed: ${error.message} ${error.stderr ?? ''}`);
    });
  };
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run('initdb', ['-D', data, '-U', 'vigil', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  } catch (error) {
    cleanup();
    throw error;
  }
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const stop = async () => {
    await run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']).catch(() => {});
    cleanup();
  };
  try {
    // -w waits (at most -t seconds) until the server accepts connections.
    await run('pg_ctl', [
      'start',
      '-D',
      data,
      '-w',
      '-t',
      String(READY_TIMEOUT_MS / 1000),
      '-l',
      join(dir, 'postgres.log'),
      '-o',
      settings,
    ]);
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'postgres.log'), 'utf8').slice(-4000);
    } catch {}
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { url: `postgres://vigil@127.0.0.1:${port}/postgres`, stop };
}

/** The newest `/usr/lib/postgresql/<major>/bin` (Debian's layout) that has pg_ctl. */
function postgresBinDir(): string {
  let majors: string[] = [];
  try {
    majors = readdirSync(POSTGRES_LIB).filter((name) => /^\d+$/.test(name));
  } catch {}
  for (const major of majors.sort((a, b) => Number(b) - Number(a))) {
    const dir = join(POSTGRES_LIB, major, 'bin');
    try {
      accessSync(join(dir, 'pg_ctl'), constants.X_OK);
      return dir;
    } catch {}
  }
  throw new Error('PostgreSQL is not installed: install the Debian package postgresql (apt-get install postgresql)');
}
