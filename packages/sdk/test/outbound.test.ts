import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { context, parseTraceparent } from '../src/index.js';
import { correlatedFetch } from '../src/outbound/fetch.js';
import { correlationInterceptor } from '../src/outbound/undici.js';

describe('outbound correlation', () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.end('ok');
  });
  let url = '';
  const trace = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'v=1')!;

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function lastHeaders(call: () => Promise<unknown>): Promise<IncomingHttpHeaders> {
    await call();
    return received.at(-1)!;
  }

  test('correlatedFetch adds X-Request-ID, traceparent and tracestate from the context', async () => {
    const fetch = correlatedFetch();
    const headers = await context.run(
      { correlation_id: 'out-1' },
      () => lastHeaders(() => fetch(url).then((r) => r.text())),
      trace,
    );
    assert.equal(headers['x-request-id'], 'out-1');
    assert.equal(headers.traceparent, `00-${trace.traceId}-${trace.spanId}-01`);
    assert.equal(headers.tracestate, 'v=1');
  });

  test('correlatedFetch keeps headers the caller set, on init or on a Request', async () => {
    const fetch = correlatedFetch();
    const viaInit = await context.run({ correlation_id: 'ctx' }, () =>
      lastHeaders(() =>
        fetch(url, { headers: { 'X-Request-ID': 'mine', accept: 'text/plain' } }).then((r) => r.text()),
      ),
    );
    assert.equal(viaInit['x-request-id'], 'mine');
    assert.equal(viaInit.accept, 'text/plain');
    const viaRequest = await context.run({ correlation_id: 'ctx' }, () =>
      lastHeaders(() => fetch(new Request(url, { headers: { 'x-custom': '1' } })).then((r) => r.text())),
    );
    assert.equal(viaRequest['x-custom'], '1');
    assert.equal(viaRequest['x-request-id'], 'ctx');
  });

  test('outside any request nothing is added', async () => {
    const headers = await lastHeaders(() => correlatedFetch()(url).then((r) => r.text()));
    assert.equal(headers['x-request-id'], undefined);
    assert.equal(headers.traceparent, undefined);
  });

  test('the undici interceptor adds the same headers, with every header shape undici accepts', async () => {
    const dispatcher = new Agent().compose(correlationInterceptor());
    try {
      const shapes = [{ 'x-shape': 'record' }, ['x-shape', 'array'], new Map([['x-shape', 'iterable']])];
      for (const headers of shapes) {
        const got = await context.run(
          { correlation_id: 'undici-1' },
          () => lastHeaders(() => request(url, { dispatcher, headers: headers as never }).then((r) => r.body.text())),
          trace,
        );
        assert.equal(got['x-request-id'], 'undici-1');
        assert.equal(got.traceparent, `00-${trace.traceId}-${trace.spanId}-01`);
        assert.ok(['record', 'array', 'iterable'].includes(String(got['x-shape'])));
      }
      const kept = await context.run({ correlation_id: 'ctx' }, () =>
        lastHeaders(() =>
          request(url, { dispatcher, headers: { 'X-Request-ID': 'caller' } }).then((r) => r.body.text()),
        ),
      );
      assert.equal(kept['x-request-id'], 'caller');
    } finally {
      await dispatcher.close();
    }
  });
});
