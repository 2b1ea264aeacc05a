import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ImportSummary, importOpenMetrics, Tsdb } from '@vigil/tsdb';
import { ServerError } from '../errors.js';
import { lockDataDir } from '../service/data-dir-lock.js';
import { TSDB_FILE } from '../service/serve.js';
import { ProgressBar } from './progress-bar.js';

/** What `vigil import` writes to. */
export interface ImportCommandOptions {
  dataDir: string;
  /** Draw a progress bar (a terminal); otherwise one line per ~10% of the file. */
  interactive: boolean;
  stderr: (text: string) => void;
}

/**
 * `vigil import <file>`: backfills OpenMetrics text (what `promtool tsdb create-blocks-from
 * openmetrics` reads, every sample with a timestamp) into the data directory's TSDB, with a
 * progress bar. The service must not be running on the same directory (its lock is checked).
 * A malformed line stops the import with its line number; batches before it stay stored.
 */
export async function importFile(file: string, options: ImportCommandOptions): Promise<ImportSummary> {
  const size = file === '-' ? 0 : sizeOf(file);
  const lock = lockDataDir(options.dataDir, 'vigil import');
  try {
    const db = Tsdb.open({ path: join(options.dataDir, TSDB_FILE), flushIntervalMs: 0, retentionIntervalMs: 0 });
    try {
      const stream = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
      let bytes = 0;
      stream.on('data', (chunk: string | Buffer) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      });
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      const bar = new ProgressBar(size, options.interactive, options.stderr);
      const summary = await importOpenMetrics(db, lines, {
        onProgress: (p) =>
          bar.update(bytes, `${p.lines.toLocaleString('en-US')} lines, ${p.imported.toLocaleString('en-US')} samples`),
      });
      bar.done();
      return summary;
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ServerError(
      'VIGIL_BAD_ARGUMENT',
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
      { cause: error },
    );
  }
}

/** The summary line of an import. */
export function importReport(file: string, s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const refused: string[] = [];
  if (s.overlapping > 0) refused.push(`${n(s.overlapping)} overlapping data already stored`);
  if (s.duplicates > 0) refused.push(`${n(s.duplicates)} duplicate timestamps in the file`);
  if (s.tooOld > 0) refused.push(`${n(s.tooOld)} older than the retention`);
  if (s.badTimestamps > 0) refused.push(`${n(s.badTimestamps)} with invalid timestamps`);
  return (
    `${file}: imported ${n(s.imported)} of ${n(s.samples)} samples (${n(s.newSeries)} new series, ${n(s.lines)} lines)` +
    (refused.length > 0 ? `; refused: ${refused.join(', ')}` : '') +
    '\n'
  );
}
