import { MemoryAuditStore } from '../src/audit/memory-audit-store.js';
import { MemoryInvocationStore } from '../src/invocations/memory-invocation-store.js';
import { auditStoreContract } from './contract/audit-store.js';
import { invocationStoreContract } from './contract/invocation-store.js';
import { memoryTamper } from './support/memory-tamper.js';

invocationStoreContract('memory', async ({ now }) => ({
  store: new MemoryInvocationStore({ now }),
  close: async () => {},
}));

auditStoreContract('memory', async ({ now }) => {
  const store = new MemoryAuditStore({ now });
  return { store, tamper: memoryTamper(store), close: async () => {} };
});
