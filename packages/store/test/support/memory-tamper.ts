import type { MemoryAuditStore } from '../../src/audit/memory-audit-store.js';
import type { AuditTamper } from '../contract/audit-store.js';

/** Tampers with the rows of a MemoryAuditStore directly. */
export function memoryTamper(store: MemoryAuditStore): AuditTamper {
  const rows = store.rows;
  const at = (seq: number) => rows.findIndex((row) => row.seq === seq);
  return {
    async update(seq, patch) {
      Object.assign(rows[at(seq)]!, patch);
    },
    async delete(seq) {
      rows.splice(at(seq), 1);
    },
    async insert(row) {
      for (const r of rows) if (r.seq >= row.seq) r.seq++;
      rows.push(row);
      rows.sort((x, y) => x.seq - y.seq);
    },
    async swap(a, b) {
      const [x, y] = [rows[at(a)]!, rows[at(b)]!];
      [x.seq, y.seq] = [b, a];
      rows.sort((p, q) => p.seq - q.seq);
    },
  };
}
