// Loading one workload into both servers: Vigil serves the TSDB file the workload was written to;
// Prometheus gets the same samples through `vigil export` and `promtool tsdb create-blocks-from
// openmetrics`, as a user moving data across would.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runCommand, type ServerProcess, startServer } from './server-process.js';

/** `vigil`'s CLI entry, from the @vigil/server workspace package. */
function vigilCli(): string {
  return fileURLToPath(new URL('./cli/main.js', import.meta.resolve('@vigil/server')));
}

/** `vigil export --data-dir <dataDir> --output <file>`; returns the file's size in bytes. */
export async function exportWithVigil(dataDir: string, file: string): Promise<number> {
  await runCommand(process.execPath, [vigilCli(), 'export', '--data-dir', dataDir, '--output', file]);
  return statSync(file).size;
}

/** Builds Prometheus blocks from an OpenMetrics file with promtool. */
export async function createBlocks(file: string, blocksDir: string): Promise<void> {
  mkdirSync(blocksDir, { recursive: true });
  await runCommand('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, blocksDir]);
}

/**
 * `vigil serve` on `dataDir`, in its own process, scraping nothing and evaluating no rules (as the Prometheus it is
 * compared with: without a rule file of its own, Vigil would evaluate the shipped rules over the workload between
 * the timed queries).
 */
export async function startVigil(dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  const config = join(dataDir, '..', 'vigil.yml');
  writeFileSync(join(dataDir, '..', 'none.rules.yml'), 'groups: []\n');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\nrule_files: [none.rules.yml]\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_PORT: String(port),
    VIGIL_DATA_DIR: dataDir,
    VIGIL_CONFIG: config,
  };
  delete env.SCRAPE_TARGETS;
  return startServer(process.execPath, [vigilCli(), 'serve'], port, '/readyz', env);
}

/** Prometheus on the blocks in `dataDir`, scraping nothing, keeping everything (retention 10 years). */
export async function startPrometheus(dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  const config = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  return startServer(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=3650d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    port,
    '/-/ready',
  );
}

/** A number from a Prometheus text exposition, or undefined. */
function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** How Prometheus's storage looks once settled. */
export interface PrometheusStorage {
  blocks: number;
  compactions: number;
}

/**
 * Waits until Prometheus has run its first compaction cycle (a minute after it starts, it merges
 * the 2 h blocks promtool wrote into larger ones, as a long-running server would have) and its
 * block count has not changed for 5 s, so no compaction runs while queries are timed.
 */
export async function settledStorage(prometheus: ServerProcess, timeoutMs = 180_000): Promise<PrometheusStorage> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const text = await (await fetch(`${prometheus.url}/metrics`)).text();
    const triggered = metricValue(text, 'prometheus_tsdb_compactions_triggered_total') ?? 0;
    const blocks = metricValue(text, 'prometheus_tsdb_blocks_loaded') ?? Number.NaN;
    const compactions = metricValue(text, 'prometheus_tsdb_compactions_total') ?? 0;
    const state = `${blocks}/${compactions}`;
    if (state !== last) {
      last = state;
      since = Date.now();
    }
    if (triggered >= 1 && Date.now() - since >= 5000) return { blocks, compactions };
    if (Date.now() > deadline) throw new Error(`Prometheus storage did not settle within ${timeoutMs} ms`);
    // Waiting on Prometheus's own timer: there is no clock to inject.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
