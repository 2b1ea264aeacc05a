import { StoreError } from '../errors.js';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import type { AuditVerifyResult } from './types.js';

/** Exit codes of `vigil audit verify`. */
export const AUDIT_VERIFY_EXIT = { intact: 0, broken: 1, cannotOpen: 3 } as const;

/** What `vigil audit verify` prints and exits with. */
export interface AuditVerifyReport {
  /** 0 intact, 1 broken, 3 the file could not be opened or read. */
  code: 0 | 1 | 3;
  /** The report, one fact a line, ending in a newline. */
  text: string;
}

/** Opens `path` read-only, verifies its audit chain and words the outcome; never throws. */
export async function auditVerifyReport(path: string): Promise<AuditVerifyReport> {
  let result: AuditVerifyResult;
  try {
    const store = await openSqliteStore(path, { readonly: true });
    try {
      result = await store.audit.verify();
    } finally {
      await store.close();
    }
  } catch (err) {
    const code = err instanceof StoreError ? ` [${err.code}]` : '';
    return { code: 3, text: `audit log ${path}: cannot verify: ${(err as Error).message}${code}\n` };
  }
  if (result.ok) {
    const head = result.checked === 0 ? 'empty chain' : `head ${result.lastHash}`;
    return { code: 0, text: `audit log ${path}: intact, ${result.checked} events, ${head}\n` };
  }
  const b = result.broken!;
  const where = b.id === null ? 'at the end of the chain' : `at event #${b.seq} (id ${b.id})`;
  return {
    code: 1,
    text:
      `audit log ${path}: BROKEN ${where}: ${b.kind}\n` +
      `  ${b.message}\n` +
      `  ${result.checked} events before it are intact (last good hash ${result.lastHash})\n`,
  };
}
