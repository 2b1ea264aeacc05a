import { TsdbError } from '../errors.js';
import { ExpositionParser } from '../exposition/parser.js';
import { seriesKey } from '../series/labels.js';
import type { BackfillResult, BackfillSeries } from './stats.js';
import type { Tsdb } from './tsdb.js';

/** How an import runs. */
export interface ImportOptions {
  /** Called after each batch of lines is parsed, and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  /** Characters of text parsed at once (default 1 MiB); a batch ends where a family begins. */
  batchChars?: number;
  /** Samples held in memory before they are sorted and stored (default 2M, ~40 MB). */
  bufferSamples?: number;
}

/** Where an import is. */
export interface ImportProgress {
  lines: number;
  samples: number;
  imported: number;
}

/** What an import did; every sample read is imported or counted under one reason. */
export interface ImportSummary extends BackfillResult {
  /** Lines read. */
  lines: number;
  /** Samples read. */
  samples: number;
  /** Samples refused because the input had their series and timestamp already (the first one is kept). */
  duplicates: number;
}

interface Buffer {
  labels: { name: string; value: string }[];
  t: number[];
  v: number[];
}

const EOF = '# EOF';

/**
 * Backfills OpenMetrics text (as `exportOpenMetrics` or any OpenMetrics exporter writes it, every sample with a
 * timestamp) into the store. `input` is the whole text, or its lines (a readline interface, say). Samples are
 * sorted per series and stored with `Tsdb.backfill`: a new series takes every sample; a known one takes samples
 * before its first and after its last, and refuses (counts as `overlapping`) those in between, so importing the
 * same file twice stores it once. Family metadata is kept. A malformed line throws TsdbError VIGIL_PARSE with its
 * line number; what earlier batches stored stays stored.
 */
export async function importOpenMetrics(
  db: Tsdb,
  input: string | Iterable<string> | AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const batchChars = options.batchChars ?? 1 << 20;
  const bufferSamples = options.bufferSamples ?? 2_000_000;
  const summary: ImportSummary = {
    lines: 0,
    samples: 0,
    duplicates: 0,
    imported: 0,
    newSeries: 0,
    overlapping: 0,
    tooOld: 0,
    badTimestamps: 0,
  };
  const buffers = new Map<string, Buffer>();
  const canonical = new Map<string, Buffer>();
  let buffered = 0;

  const store = () => {
    const batch: BackfillSeries[] = [];
    for (const b of canonical.values()) batch.push(sortedUnique(b, summary));
    const r = db.backfill(batch);
    summary.imported += r.imported;
    summary.newSeries += r.newSeries;
    summary.overlapping += r.overlapping;
    summary.tooOld += r.tooOld;
    summary.badTimestamps += r.badTimestamps;
    buffers.clear();
    canonical.clear();
    buffered = 0;
  };

  // Parses lines[] (the first `header` of them repeated from before, the rest starting at line `first`).
  const parse = (lines: string[], first: number, header: number) => {
    const parser = new ExpositionParser(`${lines.join('\n')}\n${EOF}\n`, { format: 'openmetrics' });
    const at = (line: number) => first + line - 1 - header;
    try {
      for (let kind = parser.next(); kind !== undefined; kind = parser.next()) {
        if (kind === 'family') {
          const family = parser.metadata!;
          if (family.type !== 'unknown' || family.help !== undefined || family.unit !== undefined) {
            db.setMetadata(family.name, family);
          }
          continue;
        }
        const t = parser.timestampMs;
        if (t === undefined) {
          throw new TsdbError('VIGIL_PARSE', 'a sample needs a timestamp to be imported', {
            position: { line: parser.line, column: 1 },
          });
        }
        const raw = parser.series;
        let b = buffers.get(raw);
        if (b === undefined) {
          const labels = [{ name: '__name__', value: parser.name }, ...parser.labels()];
          const key = seriesKey(labels);
          b = canonical.get(key);
          if (b === undefined) {
            b = { labels, t: [], v: [] };
            canonical.set(key, b);
          }
          buffers.set(raw, b);
        }
        b.t.push(t);
        b.v.push(parser.value);
        buffered++;
        summary.samples++;
      }
    } catch (error) {
      throw relocated(error, at);
    }
  };

  // The batch: `repeated` metadata lines copied from before a cut, then input lines from line `first` on.
  let batch: string[] = [];
  let repeated = 0;
  let first = 1;
  let chars = 0;
  let header: string[] = [];
  let inHeader = false;
  let eof = false;
  const flushBatch = (continuing: boolean) => {
    parse(batch, first, repeated);
    batch = continuing ? [...header] : [];
    repeated = batch.length;
    chars = 0;
    if (buffered >= bufferSamples) store();
    options.onProgress?.({ lines: summary.lines, samples: summary.samples, imported: summary.imported });
  };

  for await (const item of lines(input)) {
    const line = item.endsWith('\n') ? item.slice(0, -1) : item;
    summary.lines++;
    if (eof) {
      throw new TsdbError('VIGIL_PARSE', 'nothing may follow "# EOF"', {
        position: { line: summary.lines, column: 1 },
      });
    }
    if (line === EOF) {
      eof = true;
      continue;
    }
    const meta = line.startsWith('# TYPE ') || line.startsWith('# HELP ') || line.startsWith('# UNIT ');
    if (meta && !inHeader) {
      // A family begins: a good place to end a batch.
      if (chars >= batchChars) flushBatch(false);
      header = [];
    } else if (!meta && chars >= 4 * batchChars) {
      // A family too large for one batch: cut inside it and repeat its metadata lines.
      flushBatch(true);
    }
    if (meta) header.push(line);
    inHeader = meta;
    if (batch.length === repeated) first = summary.lines;
    batch.push(line);
    chars += line.length + 1;
  }
  if (!eof) {
    throw new TsdbError(
      'VIGIL_PARSE',
      `the input ended without "${EOF}" (OpenMetrics requires it as the last line); ${summary.imported} samples of earlier lines were imported`,
      { position: { line: summary.lines + 1, column: 1 } },
    );
  }
  if (batch.length > repeated) parse(batch, first, repeated);
  store();
  options.onProgress?.({ lines: summary.lines, samples: summary.samples, imported: summary.imported });
  return summary;
}

async function* lines(input: string | Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  if (typeof input === 'string') {
    let from = 0;
    while (from < input.length) {
      const end = input.indexOf('\n', from);
      if (end === -1) {
        yield input.slice(from);
        return;
      }
      yield input.slice(from, end);
      from = end + 1;
    }
    return;
  }
  yield* input;
}

// Sorts a series' samples by time, keeping the first of equal timestamps (the rest count as duplicates).
function sortedUnique(b: Buffer, summary: ImportSummary): BackfillSeries {
  const n = b.t.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = b.t[i]! > b.t[i - 1]!;
  if (sorted) return { labels: b.labels, t: b.t, v: Float64Array.from(b.v) };
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => b.t[x]! - b.t[y]! || x - y);
  const t: number[] = [];
  const v: number[] = [];
  for (const i of order) {
    if (t.length > 0 && t[t.length - 1] === b.t[i]) {
      summary.duplicates++;
      continue;
    }
    t.push(b.t[i]!);
    v.push(b.v[i]!);
  }
  return { labels: b.labels, t, v: Float64Array.from(v) };
}

// A parse error's line counted in the whole input instead of the batch.
function relocated(error: unknown, at: (line: number) => number): unknown {
  if (!(error instanceof TsdbError) || error.line === undefined) return error;
  const message = error.message.replace(/^line \d+:\d+: /, '');
  return new TsdbError(error.code, message, {
    cause: error,
    position: { line: at(error.line), column: error.column ?? 1 },
  });
}
