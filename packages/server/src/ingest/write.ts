import { StoreError } from '@vigil/store';

/** What writing a batch did: stored, already there, refused (with why). */
export interface Written {
  inserted: number;
  duplicates: number;
  rejected: number;
  errors: string[];
}

/**
 * Writes `records` in one transaction. If the store refuses the batch for one bad record (the
 * converters should have caught it), each record is written alone, so the good ones are kept
 * and only the bad ones are counted as refused. Store failures (I/O, closed) are rethrown.
 */
export async function writeAll<T>(
  records: readonly T[],
  insert: (batch: readonly T[]) => Promise<{ inserted: number; duplicates: number }>,
): Promise<Written> {
  if (records.length === 0) return { inserted: 0, duplicates: 0, rejected: 0, errors: [] };
  try {
    return { ...(await insert(records)), rejected: 0, errors: [] };
  } catch (err) {
    if (!(err instanceof StoreError) || err.code !== 'VIGIL_STORE_BAD_RECORD') throw err;
  }
  const out: Written = { inserted: 0, duplicates: 0, rejected: 0, errors: [] };
  for (const [i, record] of records.entries()) {
    try {
      const one = await insert([record]);
      out.inserted += one.inserted;
      out.duplicates += one.duplicates;
    } catch (err) {
      if (!(err instanceof StoreError) || err.code !== 'VIGIL_STORE_BAD_RECORD') throw err;
      out.rejected++;
      if (out.errors.length < 5)
        out.errors.push(`record ${i}: ${err.message.replace(/^records\[0\]\.|^spans\[0\]\./, '')}`);
    }
  }
  return out;
}
