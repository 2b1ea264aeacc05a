import { join } from 'node:path';
import { MemoryLogStore } from '../src/logs/memory-log-store.js';
import { openSqliteStore } from '../src/sqlite/sqlite-store.js';
import { logStoreContract } from './contract/log-store.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let files = 0;

logStoreContract('sqlite', async ({ now }) => {
  const store = await openSqliteStore(join(dir, `logs-${++files}`, 'vigil.db'), { now });
  return { store: store.logs, close: () => store.close() };
});

logStoreContract('memory', async ({ now }) => ({ store: new MemoryLogStore({ now }), close: async () => {} }));
