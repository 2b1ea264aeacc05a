// The ingest cases: one operation is one scrape of one node-exporter-like target (~400 samples). Every
// process builds the same expositions: NODES targets × VARIANTS scrapes with evolving values.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpositionParser, Tsdb } from '@vigil/tsdb';
import { exposition, nodeSeries, seeded, targetLabels } from './node-workload.js';

const NODES = 25;
const VARIANTS = 8;
const STEP_MS = 15_000;
const T0 = Date.UTC(2026, 10, 23);

/** What the case processes share: the texts, and the values behind them. */
export interface IngestWorkload {
  texts: string[][];
  values: Float64Array[][];
  labels: Record<string, string>[][];
  samplesPerScrape: number;
}

export function buildWorkload(): IngestWorkload {
  const rand = seeded(7);
  const texts: string[][] = [];
  const values: Float64Array[][] = [];
  const labels: Record<string, string>[][] = [];
  for (let node = 0; node < NODES; node++) {
    const series = nodeSeries(rand);
    labels.push(series.map((s) => targetLabels(node, s)));
    texts.push([]);
    values.push([]);
    for (let v = 0; v < VARIANTS; v++) {
      const now = Float64Array.from(series, (s) => s.next(STEP_MS));
      values[node]!.push(now);
      texts[node]!.push(exposition(series, now));
    }
  }
  return { texts, values, labels, samplesPerScrape: values[0]![0]!.length };
}

/** A case: `scrape(k)` performs the k-th scrape (node k mod NODES, at its next timestamp); `end()` after a run. */
export interface IngestCase {
  id: string;
  label: string;
  make(w: IngestWorkload): { scrape(k: number): number; end(): void };
}

function tempStore(): Tsdb {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-ingest-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return Tsdb.open({ path: join(dir, 'tsdb.db'), flushIntervalMs: 0, retentionIntervalMs: 0 });
}

const at = (k: number) => ({
  node: k % NODES,
  variant: Math.floor(k / NODES) % VARIANTS,
  t: T0 + Math.floor(k / NODES) * STEP_MS,
});

/** Every case; the parse-only one first. */
export const INGEST_CASES: IngestCase[] = [
  {
    id: 'parse',
    label: 'parse only (ExpositionParser: series text + value per sample)',
    make(w) {
      return {
        scrape(k) {
          const { node, variant } = at(k);
          const parser = new ExpositionParser(w.texts[node]![variant]!, { format: 'prometheus' });
          let n = 0;
          let sum = 0;
          for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
            if (kind !== 'sample') continue;
            sum += parser.series.length + parser.value;
            n++;
          }
          if (Number.isNaN(sum)) throw new Error('unexpected NaN');
          return n;
        },
        end() {},
      };
    },
  },
  {
    id: 'append',
    label: 'append only (refs resolved ahead, values from arrays), file Tsdb',
    make(w) {
      const db = tempStore();
      const refs = w.labels.map((series) => series.map((l) => db.series(l)));
      return {
        scrape(k) {
          const { node, variant, t } = at(k);
          const ids = refs[node]!;
          const vs = w.values[node]![variant]!;
          let n = 0;
          for (let i = 0; i < ids.length; i++) if (db.append(ids[i]!, t, vs[i]!) === 'ok') n++;
          return n;
        },
        end: () => db.flush(),
      };
    },
  },
  {
    id: 'ingest',
    label: 'parse + series cache + append (the scrape loop), file Tsdb',
    make(w) {
      const db = tempStore();
      // A scrape loop's cache: the series text as scraped → ref, one map per target.
      const caches = w.texts.map(() => new Map<string, number>());
      return {
        scrape(k) {
          const { node, variant, t } = at(k);
          const cache = caches[node]!;
          const parser = new ExpositionParser(w.texts[node]![variant]!, { format: 'prometheus' });
          let n = 0;
          for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
            if (kind !== 'sample') continue;
            const key = parser.series;
            let ref = cache.get(key);
            if (ref === undefined) {
              ref = db.series([
                { name: '__name__', value: parser.name },
                ...parser.labels(),
                { name: 'instance', value: `node-${node}:9100` },
                { name: 'job', value: 'node' },
              ]);
              cache.set(key, ref);
            }
            if (db.append(ref, t, parser.value) === 'ok') n++;
          }
          return n;
        },
        end: () => db.flush(),
      };
    },
  },
  {
    id: 'ingest-ordered',
    label: 'parse + ordered series cache + append, file Tsdb',
    make(w) {
      const db = tempStore();
      // A target lists its series in the same order every scrape: check the i-th text against the i-th of the
      // last scrape (a string compare, no hashing) before falling back to the map.
      const caches = w.texts.map(() => ({
        map: new Map<string, number>(),
        keys: [] as string[],
        refs: [] as number[],
      }));
      return {
        scrape(k) {
          const { node, variant, t } = at(k);
          const cache = caches[node]!;
          const parser = new ExpositionParser(w.texts[node]![variant]!, { format: 'prometheus' });
          let n = 0;
          let i = 0;
          for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
            if (kind !== 'sample') continue;
            const key = parser.series;
            let ref: number | undefined;
            if (cache.keys[i] === key) {
              ref = cache.refs[i]!;
            } else {
              ref = cache.map.get(key);
              if (ref === undefined) {
                ref = db.series([
                  { name: '__name__', value: parser.name },
                  ...parser.labels(),
                  { name: 'instance', value: `node-${node}:9100` },
                  { name: 'job', value: 'node' },
                ]);
                cache.map.set(key, ref);
              }
              cache.keys[i] = key;
              cache.refs[i] = ref;
            }
            i++;
            if (db.append(ref, t, parser.value) === 'ok') n++;
          }
          return n;
        },
        end: () => db.flush(),
      };
    },
  },
];
