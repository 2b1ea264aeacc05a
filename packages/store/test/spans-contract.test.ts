import { join } from 'node:path';
import { MemorySpanStore } from '../src/spans/memory-span-store.js';
import { openSqliteStore } from '../src/sqlite/sqlite-store.js';
import { spanStoreContract } from './contract/span-store.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let files = 0;

spanStoreContract('sqlite', async () => {
  const store = await openSqliteStore(join(dir, `spans-${++files}`, 'vigil.db'));
  return { store: store.spans, close: () => store.close() };
});

spanStoreContract('memory', async () => ({ store: new MemorySpanStore(), close: async () => {} }));
