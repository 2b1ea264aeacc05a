import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerError } from '../errors.js';

/** The lock file that says a process owns a data directory. */
export const LOCK_FILE = 'vigil.lock';

/** A held lock; `release()` removes the file. */
export interface DataDirLock {
  path: string;
  release(): void;
}

/**
 * Takes the data directory for this process (creating the directory), as Prometheus's lock
 * file does: the service and `vigil import` must not write the same store at once. A lock
 * left by a process that no longer runs is taken over. Throws VIGIL_DATA_DIR_LOCKED naming
 * the process that holds it.
 */
export function lockDataDir(dir: string, owner: string): DataDirLock {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new ServerError('VIGIL_BAD_CONFIG', `data directory ${dir}: cannot create it: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const path = join(dir, LOCK_FILE);
  const body = `${JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, body, { flag: 'wx' });
      return { path, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ServerError(
          'VIGIL_BAD_CONFIG',
          `data directory ${dir}: cannot write ${LOCK_FILE}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      const holder = readHolder(path);
      if (holder !== undefined && alive(holder.pid)) {
        throw new ServerError(
          'VIGIL_DATA_DIR_LOCKED',
          `data directory ${dir} is in use by ${holder.owner ?? 'another process'} (pid ${holder.pid}); stop it first or use another VIGIL_DATA_DIR`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ServerError('VIGIL_DATA_DIR_LOCKED', `data directory ${dir}: could not take ${LOCK_FILE}`);
}

function readHolder(path: string): { pid: number; owner?: string } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; owner?: unknown };
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, ...(typeof parsed.owner === 'string' ? { owner: parsed.owner } : {}) };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
