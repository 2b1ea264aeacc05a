import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { VigilError } from '../src/index.js';
import { createMetrics } from '../src/metrics/index.js';
import {
  BatchingSink,
  createHttpSink,
  createMemorySink,
  createSqliteSink,
  createStoreSink,
  type InvocationRow,
  type InvocationWriter,
} from '../src/recording/index.js';
import { captureLogger } from './support/capture.js';
import { sampleValue } from './support/metrics-read.js';
import { invocationReceiver, type SinkUnderTest, sampleRow, sinkContract } from './support/recording-sinks.js';

function counters() {
  const { log, out } = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false, logger: log });
  const dropped = async (sink: string, reason: string) =>
    (await sampleValue(
      { metric: metrics.registry.getSingleMetric('vigil_invocation_rows_dropped_total') as never },
      { sink, reason },
    )) ?? 0;
  const written = async (sink: string) =>
    (await sampleValue(
      { metric: metrics.registry.getSingleMetric('vigil_invocation_rows_written_total') as never },
      { sink },
    )) ?? 0;
  return { log, out, metrics, dropped, written };
}

/** A store like @vigil/store's, in memory: insertBatch idempotent by id. */
function fakeStore() {
  const rows = new Map<string, Record<string, unknown>>();
  const store: InvocationWriter = {
    async insertBatch(batch) {
      for (const row of batch) if (!rows.has(row.id)) rows.set(row.id, { ...row });
    },
  };
  return { store, rows };
}

/** `@vigil/store` when it is built (it is optional for the SDK, so it is loaded by name at run time). */
type StoreFile = {
  invocations: InvocationWriter & { query(q?: object): Promise<Record<string, unknown>[]> };
  close(): Promise<void>;
};

/** Opens a real SQLite file through @vigil/store; the workspace always builds it, so a missing store fails. */
async function openStoreFile(path: string): Promise<StoreFile> {
  const entry: string = '@vigil/store/sqlite'; // a variable: the SDK has no build-time reference to the store
  const { openSqliteStore } = (await import(entry)) as { openSqliteStore(path: string): Promise<StoreFile> };
  return openSqliteStore(path);
}

/** Every row stored in the SQLite file at `path`. */
async function storedRows(path: string): Promise<Record<string, unknown>[]> {
  const db = await openStoreFile(path);
  try {
    return await db.invocations.query();
  } finally {
    await db.close();
  }
}

sinkContract('memory', async () => {
  const sink = createMemorySink();
  return { sink, stored: async () => sink.rows as never, dispose: async () => {} };
});

sinkContract('store (fake writer)', async () => {
  const { store, rows } = fakeStore();
  const sink = createStoreSink({ store, metrics: false });
  return { sink, stored: async () => [...rows.values()], dispose: () => sink.close() };
});

sinkContract('http', async () => {
  const receiver = await invocationReceiver();
  const sink = createHttpSink({ url: receiver.url, metrics: false });
  return {
    sink,
    stored: async () => [...receiver.rows.values()],
    dispose: async () => {
      await sink.close();
      await receiver.close();
    },
  };
});

sinkContract('@vigil/store SQLite', async (): Promise<SinkUnderTest> => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-sink-'));
  const db = await openStoreFile(join(dir, 'vigil.db'));
  const sink = createStoreSink({ store: db.invocations, metrics: false });
  return {
    sink,
    stored: () => db.invocations.query({ limit: 1000 }),
    dispose: async () => {
      await sink.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('store sink', () => {
  test('a batch the store refuses for one bad row is stored row by row; only the bad row is dropped', async () => {
    const { metrics, dropped, written, log } = counters();
    const rows = new Map<string, unknown>();
    const store: InvocationWriter = {
      async insertBatch(batch) {
        if (batch.some((row) => row.tokens_in < 0)) throw new Error('records[1].tokens_in must be a whole number ≥ 0');
        for (const row of batch) rows.set(row.id, row);
      },
    };
    const sink = createStoreSink({ store, metrics, logger: log });
    sink.write(sampleRow());
    sink.write(sampleRow({ tokens_in: -1 }));
    sink.write(sampleRow());
    await sink.close();
    assert.equal(rows.size, 2);
    assert.equal(await written('store'), 2);
    assert.equal(await dropped('store', 'invalid'), 1);
  });

  test('a store that is down fails the whole batch', async () => {
    const { metrics, dropped, log } = counters();
    const sink = createStoreSink({
      store: {
        insertBatch: async () => {
          throw new Error('SQLITE_BUSY');
        },
      },
      metrics,
      logger: log,
    });
    sink.write(sampleRow());
    sink.write(sampleRow());
    await sink.close();
    assert.equal(await dropped('store', 'failed'), 2);
  });
});

describe('sqlite sink', () => {
  test('createSqliteSink writes into $VIGIL_DATA_DIR/vigil.db and close() closes the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-sqlite-sink-'));
    try {
      const sink = await createSqliteSink({ env: { VIGIL_DATA_DIR: dir }, metrics: false });
      const row = sampleRow({ cost_usd: null });
      sink.write(row);
      await sink.close();
      const stored = await storedRows(join(dir, 'vigil.db'));
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.id, row.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('default sink', () => {
  test('with VIGIL_DATA_DIR set and no sink given, rows go to $VIGIL_DATA_DIR/vigil.db', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-default-sink-'));
    const { log, out } = counters();
    try {
      const { createRecorder } = await import('../src/recording/index.js');
      const recorder = createRecorder({ env: { VIGIL_DATA_DIR: dir }, logger: log, metrics: false, tracing: false });
      const id = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5 });
      await recorder.close();
      const stored = await storedRows(join(dir, 'vigil.db'));
      assert.deepEqual(
        stored.map((row) => row.id),
        [id],
      );
      assert.ok(out.lines.some((line) => String(line.msg).includes('VIGIL_DATA_DIR') && line.level === 'info'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('default sink: without VIGIL_URL or VIGIL_DATA_DIR', () => {
  test('rows go to ./.vigil-data/vigil.db under the working directory, where `vigil serve` looks by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-default-cwd-'));
    const before = process.cwd();
    const { log, out } = counters();
    try {
      process.chdir(dir);
      const { createRecorder } = await import('../src/recording/index.js');
      const recorder = createRecorder({ env: {}, logger: log, metrics: false, tracing: false });
      const id = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5 });
      await recorder.close();
      const stored = await storedRows(join(dir, '.vigil-data', 'vigil.db'));
      assert.deepEqual(
        stored.map((row) => row.id),
        [id],
      );
      assert.ok(out.lines.some((line) => String(line.msg).includes('.vigil-data/vigil.db') && line.level === 'info'));
    } finally {
      process.chdir(before);
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('with VIGIL_DATA_DIR set, rows go there even when @vigil/store does not resolve (a load failure is then loud)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-datadir-set-'));
    const { log } = counters();
    try {
      const { createRecorder } = await import('../src/recording/index.js');
      const recorder = createRecorder({
        env: { VIGIL_DATA_DIR: dir },
        storeInstalled: () => false,
        logger: log,
        metrics: false,
        tracing: false,
      });
      const id = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5 });
      await recorder.close();
      assert.deepEqual(
        (await storedRows(join(dir, 'vigil.db'))).map((row) => row.id),
        [id],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a process that never calls close() still writes its last rows when it runs out of work', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-exit-'));
    try {
      const sdk = new URL('../src/recording/index.js', import.meta.url).href;
      const script = join(dir, 'agent.mjs');
      await writeFile(
        script,
        `import { createRecorder } from ${JSON.stringify(sdk)};
const recorder = createRecorder({ env: { VIGIL_DATA_DIR: ${JSON.stringify(dir)} }, metrics: false, tracing: false });
for (let i = 0; i < 3; i++) recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5, taskType: 'exit-' + i });
`,
      );
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
      assert.deepEqual((await storedRows(join(dir, 'vigil.db'))).map((row) => row.task_type).sort(), [
        'exit-0',
        'exit-1',
        'exit-2',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a failed open of the file is tried again at the next delivery', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-reopen-'));
    try {
      const { lazyEmbeddedDatabase } = await import('../src/delivery/embedded-store.js');
      const blocker = join(dir, 'data');
      await writeFile(blocker, 'a file where the directory should be');
      const db = lazyEmbeddedDatabase({ path: join(blocker, 'vigil.db') }, 'a test');
      await assert.rejects(db.open(), /cannot open/);
      await rm(blocker);
      const opened = await db.open();
      await opened.invocations.insertBatch([] as never[]);
      await db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('storeInstalled resolves @vigil/store without loading it, and says false when it cannot', async () => {
    const { storeInstalled } = await import('../src/delivery/embedded-store.js');
    assert.equal(storeInstalled(), true, 'the workspace has @vigil/store');
    const missing = (specifier: string): string => {
      throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    assert.equal(storeInstalled(missing), false);
  });
});

describe('default sink: a Vigil service', () => {
  test('with VIGIL_URL set, rows are POSTed to its ingest route with the admin token (VIGIL_DATA_DIR then unused)', async () => {
    const received: { path: string; auth: string | undefined; ids: string[] }[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        const rows = (JSON.parse(body) as { invocations: { id: string }[] }).invocations;
        received.push({ path: req.url ?? '', auth: req.headers.authorization, ids: rows.map((r) => r.id) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"inserted":1,"duplicates":0}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const { log, out } = counters();
    try {
      const { createRecorder } = await import('../src/recording/index.js');
      const env = {
        VIGIL_URL: `http://127.0.0.1:${port}`,
        VIGIL_ADMIN_TOKEN: 'svc-token',
        VIGIL_DATA_DIR: '/nonexistent',
      };
      const recorder = createRecorder({ env, logger: log, metrics: false, tracing: false });
      const id = recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 5 });
      await recorder.close();
      assert.deepEqual(received, [{ path: '/api/vigil/ingest/invocations', auth: 'Bearer svc-token', ids: [id] }]);
      assert.ok(out.lines.some((line) => String(line.msg).includes('VIGIL_URL') && line.level === 'info'));
      assert.ok(!JSON.stringify(out.lines).includes('svc-token'), 'the token never reaches a log line');
    } finally {
      server.close();
    }
  });
});

describe('batching sink', () => {
  test('delivers in batches of maxBatch, starting one as soon as a batch is full', async () => {
    const batches: number[] = [];
    const sink = new BatchingSink({
      name: 'test',
      maxBatch: 3,
      metrics: false,
      send: async (rows) => {
        batches.push(rows.length);
      },
    });
    for (let i = 0; i < 7; i++) sink.write(sampleRow());
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(batches, [3, 3, 1], 'a full batch starts a delivery without waiting for the timer');
    assert.equal(sink.queued, 0);
    await sink.close();
  });

  test('the timer delivers what is queued every flushIntervalMs', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const delivered: InvocationRow[] = [];
    const sink = new BatchingSink({
      name: 'test',
      flushIntervalMs: 500,
      metrics: false,
      send: async (rows) => {
        delivered.push(...rows);
      },
    });
    sink.write(sampleRow());
    t.mock.timers.tick(499);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(delivered.length, 0);
    t.mock.timers.tick(1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(delivered.length, 1);
    await sink.close();
  });

  test('a full queue drops new rows, counts them and logs once', async () => {
    const { log, out, metrics, dropped, written } = counters();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = new BatchingSink({ name: 'slow', maxQueue: 5, maxBatch: 100, logger: log, metrics, send: () => gate });
    for (let i = 0; i < 8; i++) sink.write(sampleRow());
    assert.equal(sink.queued, 5);
    assert.equal(await dropped('slow', 'overflow'), 3);
    const warnings = out.lines.filter((line) => line.level === 'warning' && line.sink === 'slow');
    assert.equal(warnings.length, 1);
    release();
    await sink.close();
    assert.equal(await written('slow'), 5);
  });

  test('a failing delivery drops its batch, counts it and logs; the sink keeps working', async () => {
    const { log, out, metrics, dropped, written } = counters();
    let fail = true;
    const sink = new BatchingSink({
      name: 'flaky',
      logger: log,
      metrics,
      send: async () => {
        if (fail) throw new Error('store is down');
      },
    });
    sink.write(sampleRow());
    sink.write(sampleRow());
    await sink.flush();
    assert.equal(await dropped('flaky', 'failed'), 2);
    assert.equal(out.lines.filter((line) => line.level === 'error').length, 1);
    fail = false;
    sink.write(sampleRow());
    await sink.flush();
    assert.equal(await written('flaky'), 1);
    await sink.close();
    sink.write(sampleRow());
    assert.equal(await dropped('flaky', 'closed'), 1);
  });

  test('bad batch options are refused with VIGIL_BAD_OPTION naming the option', () => {
    assert.throws(
      () => new BatchingSink({ name: 'x', maxBatch: 0, send: async () => {} }),
      (error: unknown) => error instanceof VigilError && /maxBatch/.test(error.message),
    );
    assert.throws(() => createHttpSink({ url: 'not a url' }), /option "url"/);
    assert.throws(() => createHttpSink({ url: 'ftp://x/y' }), /http: or https:/);
  });
});

describe('http sink', () => {
  test('retries 500s with growing, jittered delays, then stores each row once', async () => {
    const receiver = await invocationReceiver([500, 503, 200]);
    const delays: number[] = [];
    const { metrics, written } = counters();
    const sink = createHttpSink({
      url: receiver.url,
      token: 'secret-token',
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
      metrics,
    });
    try {
      const rows = [sampleRow(), sampleRow()];
      for (const row of rows) sink.write(row);
      await sink.flush();
      assert.equal(receiver.requests.length, 3);
      assert.deepEqual(delays, [50, 100], 'full jitter over 100 ms, then 200 ms');
      const keys = new Set(receiver.requests.map((r) => r.headers['idempotency-key']));
      assert.equal(keys.size, 1, 'every try of a batch carries the same Idempotency-Key');
      assert.equal(receiver.requests[0]!.headers.authorization, 'Bearer secret-token');
      assert.equal(receiver.rows.size, 2, 'the server stored on the failed tries too, yet holds each row once');
      assert.equal(await written('http'), 2);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  test('a 429 waits as long as Retry-After asks, capped by maxDelayMs', async () => {
    const receiver = await invocationReceiver([{ status: 429, headers: { 'retry-after': '2' } }, 200]);
    const delays: number[] = [];
    const sink = createHttpSink({
      url: receiver.url,
      maxDelayMs: 1500,
      metrics: false,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    try {
      sink.write(sampleRow());
      await sink.flush();
      assert.deepEqual(delays, [1500]);
      assert.equal(receiver.rows.size, 1);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  test('a 400 is not retried: the batch is dropped and counted', async () => {
    const receiver = await invocationReceiver([400]);
    const { metrics, dropped, log } = counters();
    const sink = createHttpSink({ url: receiver.url, metrics, logger: log, sleep: async () => {} });
    try {
      sink.write(sampleRow());
      await sink.flush();
      assert.equal(receiver.requests.length, 1);
      assert.equal(await dropped('http', 'failed'), 1);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });

  test('a server that is down: bounded tries, then the batch is dropped and counted, nothing thrown', async () => {
    const port = await freePort();
    const { metrics, dropped, log, out } = counters();
    let tries = 0;
    const sink = createHttpSink({
      url: `http://127.0.0.1:${port}/api/vigil/invocations`,
      maxAttempts: 4,
      metrics,
      logger: log,
      fetch: (input, init) => {
        tries++;
        return fetch(input, init);
      },
      sleep: async () => {},
    });
    const started = Date.now();
    sink.write(sampleRow());
    sink.write(sampleRow());
    await sink.close();
    assert.ok(Date.now() - started < 5000, 'gives up in bounded time');
    assert.equal(tries, 4);
    assert.equal(await dropped('http', 'failed'), 2);
    const error = out.lines.find((line) => line.level === 'error')!;
    assert.match(String(error.msg), /could not deliver 2 rows/);
  });

  test('a server that never answers is given up on after timeoutMs per try', async () => {
    const receiver = await invocationReceiver(['hang', 'hang']);
    const { metrics, dropped, log } = counters();
    const sink = createHttpSink({
      url: receiver.url,
      maxAttempts: 2,
      timeoutMs: 50,
      metrics,
      logger: log,
      sleep: async () => {},
    });
    try {
      sink.write(sampleRow());
      await sink.flush();
      assert.equal(receiver.requests.length, 2);
      assert.equal(await dropped('http', 'failed'), 1);
    } finally {
      await sink.close();
      await receiver.close();
    }
  });
});

describe('recorder with a real sink', () => {
  test('a recorder writing through the HTTP sink never waits for the network', async () => {
    const receiver = await invocationReceiver(['hang']);
    const sink = createHttpSink({ url: receiver.url, metrics: false, timeoutMs: 50, maxAttempts: 1 });
    const { createRecorder } = await import('../src/recording/index.js');
    const { log } = counters();
    const recorder = createRecorder({ sink, logger: log, metrics: false, tracing: false });
    try {
      for (let i = 0; i < 600; i++) recorder.llm.record({ model: 'gpt-4o', provider: 'openai', durationMs: 1 });
      assert.ok(sink.queued <= 600);
      await recorder.close();
      assert.equal(sink.queued, 0);
    } finally {
      await receiver.close();
    }
  });
});

/** A port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
