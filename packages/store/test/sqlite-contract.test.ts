import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../src/sqlite/sqlite-store.js';
import { auditStoreContract } from './contract/audit-store.js';
import { invocationStoreContract } from './contract/invocation-store.js';
import { sqliteTamper } from './support/sqlite-tamper.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let files = 0;
const nextFile = () => join(dir, `contract-${++files}`, 'vigil.db');

invocationStoreContract('sqlite', async ({ now }) => {
  const store = await openSqliteStore(nextFile(), { now });
  return { store: store.invocations, close: () => store.close() };
});

auditStoreContract('sqlite', async ({ now }) => {
  const path = nextFile();
  let store: SqliteStore = await openSqliteStore(path, { now });
  return {
    store: store.audit,
    tamper: sqliteTamper(path),
    reopen: async () => {
      await store.close();
      store = await openSqliteStore(path, { now });
      return store.audit;
    },
    close: () => store.close(),
  };
});
