import { after } from 'node:test';
import { openPostgresStore, type PostgresStore } from '../src/postgres/postgres-store.js';
import { alertHistoryContract } from './contract/alert-history.js';
import { auditStoreContract } from './contract/audit-store.js';
import { invocationStoreContract } from './contract/invocation-store.js';
import { logStoreContract } from './contract/log-store.js';
import { spanStoreContract } from './contract/span-store.js';
import { freshSchema, postgresTamper, usePostgres } from './support/postgres.js';

// The alert history contract does not close its stores: they are closed here, before the cluster stops.
const unclosed: PostgresStore[] = [];
after(() => Promise.all(unclosed.map((store) => store.close())));
const testPostgres = usePostgres();

// Every contract suite against a real PostgreSQL; each case gets its own schema, so an empty store.
async function open(now?: () => number): Promise<{ store: PostgresStore; url: string; schema: string }> {
  const { url } = await testPostgres();
  const schema = freshSchema();
  return { store: await openPostgresStore(url, { now, schema, poolSize: 4 }), url, schema };
}

invocationStoreContract('postgres', async ({ now }) => {
  const { store } = await open(now);
  return { store: store.invocations, close: () => store.close() };
});

auditStoreContract('postgres', async ({ now }) => {
  const opened = await open(now);
  let store = opened.store;
  return {
    store: store.audit,
    tamper: postgresTamper(opened.url, opened.schema),
    reopen: async () => {
      await store.close();
      store = await openPostgresStore(opened.url, { now, schema: opened.schema });
      return store.audit;
    },
    close: () => store.close(),
  };
});

logStoreContract('postgres', async ({ now }) => {
  const { store } = await open(now);
  return { store: store.logs, close: () => store.close() };
});

spanStoreContract('postgres', async () => {
  const { store } = await open();
  return { store: store.spans, close: () => store.close() };
});

alertHistoryContract('postgres', async () => {
  const { store } = await open();
  unclosed.push(store);
  return store.alerts;
});
