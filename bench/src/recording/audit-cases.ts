import { join } from 'node:path';
import { createAuditLog } from '@vigil/sdk/audit';
import { openSqliteStore } from '@vigil/store/sqlite';
import type { CaseRunner } from '../harness/rounds.js';
import { timed } from './timed.js';

/** A typical audit event: a denied gate decision with a small details object. */
const EVENT = {
  event_type: 'gate.denied',
  actor_user_id: 'u-1842',
  target_app_id: 'support-bot',
  success: false,
  details: { rule: 'daily_budget', limit_usd: 5, spent_usd: 5.12 },
};

/** Audit appends/s into real SQLite files: the store one event at a time, the store in batches, and the SDK's AuditLog. */
export async function auditCases(dir: string): Promise<{ runners: CaseRunner[]; close: () => Promise<void> }> {
  const single = await openSqliteStore(join(dir, 'audit-single.db'));
  const batched = await openSqliteStore(join(dir, 'audit-batch.db'));
  const viaSdk = await openSqliteStore(join(dir, 'audit-sdk.db'));
  const audit = createAuditLog({ writer: viaSdk.audit, metrics: false, maxQueue: 1_000_000, flushIntervalMs: 60_000 });
  const runners = [
    timed('audit-single', async (n) => {
      for (let i = 0; i < n; i++) await single.audit.append(EVENT);
    }),
    timed('audit-batch', async (n) => {
      for (let done = 0; done < n; done += 500) {
        await batched.audit.appendBatch(Array.from({ length: Math.min(500, n - done) }, () => EVENT));
      }
    }),
    timed('audit-sdk', async (n) => {
      for (let i = 0; i < n; i++) audit.append(EVENT);
      await audit.flush();
    }),
  ];
  return {
    runners,
    close: async () => {
      await audit.close();
      const dropped = Object.values(audit.stats().dropped).reduce((a, b) => a + b, 0);
      if (dropped > 0) throw new Error(`the AuditLog dropped ${dropped} events: its figure is void`);
      for (const db of [single, batched, viaSdk]) {
        const verified = await db.audit.verify();
        if (!verified.ok) throw new Error(`a benchmarked audit chain does not verify: ${verified.broken?.message}`);
        await db.close();
      }
    },
  };
}

/** What generating and verifying a long chain took. */
export interface VerifyResult {
  rows: number;
  generateMs: number;
  verifyMs: number;
  ok: boolean;
}

/** Appends `rows` events with appendBatch (10k per transaction), then times `verify()` over all of them. */
export async function verifyChain(dir: string, rows: number): Promise<VerifyResult> {
  const db = await openSqliteStore(join(dir, 'audit-verify.db'), { synchronous: 'NORMAL' });
  try {
    const start = performance.now();
    for (let done = 0; done < rows; done += 10_000) {
      await db.audit.appendBatch(Array.from({ length: Math.min(10_000, rows - done) }, () => EVENT));
    }
    const generated = performance.now();
    const verified = await db.audit.verify();
    const verifyMs = performance.now() - generated;
    if (verified.checked !== rows) throw new Error(`verify checked ${verified.checked} of ${rows} events`);
    return { rows, generateMs: generated - start, verifyMs, ok: verified.ok };
  } finally {
    await db.close();
  }
}
