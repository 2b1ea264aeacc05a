import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { exportOpenMetrics, type Matcher, Tsdb } from '@vigil/tsdb';
import { lockDataDir } from '../service/data-dir-lock.js';
import { TSDB_FILE } from '../service/serve.js';

/** What `vigil export` reads and where it writes. */
export interface ExportCommandOptions {
  dataDir: string;
  /** One series selector's matchers (default: every series). */
  matchers?: Matcher[];
  mint?: number;
  maxt?: number;
  /** A file path, or undefined for stdout. */
  output?: string;
  stdout: (text: string) => void;
  /** The stream behind `stdout`, when there is one: writes then wait for it to drain. */
  stdoutStream?: Writable | undefined;
}

/**
 * `vigil export`: the data directory's samples as OpenMetrics text (what `promtool tsdb
 * create-blocks-from openmetrics` and `vigil import` read), to stdout or a file. Takes the
 * data directory's lock: while the service runs, use its `GET /api/vigil/export` instead.
 */
export async function exportData(options: ExportCommandOptions): Promise<void> {
  const lock = lockDataDir(options.dataDir, 'vigil export');
  try {
    const db = Tsdb.open({ path: join(options.dataDir, TSDB_FILE), flushIntervalMs: 0, retentionIntervalMs: 0 });
    try {
      const file: Writable | undefined = options.output ? createWriteStream(options.output) : undefined;
      const stream = file ?? options.stdoutStream;
      const write = stream
        ? async (text: string) => {
            if (!stream.write(text)) await once(stream, 'drain');
          }
        : async (text: string) => options.stdout(text);
      const pieces = exportOpenMetrics(db, {
        ...(options.matchers ? { matchers: options.matchers } : {}),
        ...(options.mint === undefined ? {} : { mint: options.mint }),
        ...(options.maxt === undefined ? {} : { maxt: options.maxt }),
      });
      for await (const piece of pieces) await write(piece);
      if (file) {
        file.end();
        await once(file, 'finish');
      }
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}
