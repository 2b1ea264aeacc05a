// The cases of the scrape benchmark: one operation is one scrape of one node-exporter-like target,
// answered from memory (no HTTP), so what is timed is Vigil's own work per scrape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScrapeLoop, tsdbStorage } from '@vigil/server';
import { Tsdb } from '@vigil/tsdb';
import { buildWorkload, INGEST_CASES, type IngestWorkload } from '../tsdb/ingest-cases.js';

export { buildWorkload, type IngestWorkload };

const NO_LIMITS = {
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  bodySizeLimit: 0,
};
const STEP_MS = 15_000;
const T0 = Date.UTC(2026, 10, 23);

/** A case: `scrape(k)` performs the k-th scrape (target k mod targets) and resolves to the samples stored. */
export interface ScrapeCase {
  id: string;
  label: string;
  make(w: IngestWorkload): { scrape(k: number): Promise<number>; end(): void };
}

export const SCRAPE_CASES: ScrapeCase[] = [
  {
    // The same parse-only baseline as tsdb-ingest's.
    id: 'parse',
    label: 'parse only (ExpositionParser: series text + value per sample)',
    make(w) {
      const parse = INGEST_CASES.find((c) => c.id === 'parse')!.make(w);
      return { scrape: async (k) => parse.scrape(k), end: () => parse.end() };
    },
  },
  {
    id: 'scrape-loop',
    label: "Vigil's scrape loop (parse, labels, cache, limits, staleness, up/scrape_* series) into a file Tsdb",
    make(w) {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-scrape-'));
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      const db = Tsdb.open({ path: join(dir, 'tsdb.db'), flushIntervalMs: 0, retentionIntervalMs: 0, now: () => T0 });
      const storage = tsdbStorage(db);
      let current = '';
      const loops = w.texts.map((_, node) => {
        const instance = `node-${node}:9100`;
        const target = {
          key: instance,
          job: 'node',
          url: `http://${instance}/metrics`,
          labels: [
            { name: 'instance', value: instance },
            { name: 'job', value: 'node' },
          ],
          discoveredLabels: {},
          intervalMs: STEP_MS,
          timeoutMs: 10_000,
          honorLabels: false,
          honorTimestamps: true,
          limits: NO_LIMITS,
        };
        return new ScrapeLoop(target, storage, {
          now: () => T0,
          fetch: async () => ({ body: current, contentType: 'text/plain; version=0.0.4' }),
        });
      });
      return {
        async scrape(k) {
          const { node, variant, t } = at(w, k);
          current = w.texts[node]![variant]!;
          const outcome = await loops[node]!.scrape(t);
          if (!outcome.up) throw new Error(outcome.error);
          return outcome.samplesStored;
        },
        end: () => db.flush(),
      };
    },
  },
];

function at(w: IngestWorkload, k: number) {
  const nodes = w.texts.length;
  const variants = w.texts[0]!.length;
  return { node: k % nodes, variant: Math.floor(k / nodes) % variants, t: T0 + Math.floor(k / nodes) * STEP_MS };
}
