import { auditVerifyReport, defaultDatabasePath } from '@vigil/store/sqlite';
import type { CliIo } from '../cli/program.js';

/**
 * `vigil audit verify [path]`: walks the audit chain of a record database (default
 * `${VIGIL_DATA_DIR ?? './.vigil-data'}/vigil.db`), read-only, and prints a short report.
 * Resolves to the exit code: 0 intact, 1 broken (first broken event and why), 3 cannot open.
 */
export async function auditVerify(
  path: string | undefined,
  io: Pick<CliIo, 'env' | 'stdout' | 'stderr'>,
): Promise<number> {
  const report = await auditVerifyReport(path ?? defaultDatabasePath(io.env));
  if (report.code === 3) io.stderr(`vigil: ${report.text}`);
  else io.stdout(report.text);
  return report.code;
}
