import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, createApiClient } from '../web/src/api/client.js';

/** A fetch that answers from a table and records what was asked. */
function fakeFetch(answers: Record<string, { status: number; body: string }>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, headers: (init?.headers ?? {}) as Record<string, string> });
    const answer = answers[url.split('?')[0]!] ?? { status: 404, body: '{"message":"Route not found"}' };
    return new Response(answer.body, { status: answer.status });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('API client', () => {
  it('sends the token as a bearer and returns the data of a Prometheus answer', async () => {
    const { fetch, calls } = fakeFetch({ '/api/v1/query': { status: 200, body: '{"status":"success","data":[1]}' } });
    const client = createApiClient({ token: 'secret', fetch });
    assert.deepEqual(await client.prometheus('/api/v1/query', { query: 'up', time: 5, 'match[]': ['a', 'b'] }), [1]);
    assert.equal(calls[0]?.headers.authorization, 'Bearer secret');
    assert.equal(calls[0]?.url, '/api/v1/query?query=up&time=5&match%5B%5D=a&match%5B%5D=b');
  });

  it('keeps the warnings and infos of an answer on its data', async () => {
    const body = '{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["w1"],"infos":["i1"]}';
    const { fetch } = fakeFetch({ '/api/v1/query': { status: 200, body } });
    assert.deepEqual(await createApiClient({ token: '', fetch }).prometheus('/api/v1/query'), {
      resultType: 'vector',
      result: [],
      warnings: ['w1'],
      infos: ['i1'],
    });
  });

  it('turns a Prometheus error into an ApiError with its errorType', async () => {
    const { fetch } = fakeFetch({
      '/api/v1/query': { status: 400, body: '{"status":"error","errorType":"bad_data","error":"parse error"}' },
    });
    const error = await createApiClient({ token: '', fetch })
      .prometheus('/api/v1/query')
      .catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.errorType, 'bad_data');
    assert.equal(error.message, 'parse error');
  });

  it('calls onUnauthorized on a 401 and fails the call', async () => {
    const { fetch } = fakeFetch({ '/api/v1/targets': { status: 401, body: '' } });
    let signedOut = 0;
    const client = createApiClient({ token: 'old', fetch, onUnauthorized: () => signedOut++ });
    await assert.rejects(
      client.prometheus('/api/v1/targets'),
      (e: unknown) => e instanceof ApiError && e.status === 401,
    );
    assert.equal(signedOut, 1);
  });

  it('marks a missing route as not available and sends no header without a token', async () => {
    const { fetch, calls } = fakeFetch({});
    const error = await createApiClient({ token: '', fetch })
      .getJson('/api/vigil/logs')
      .catch((e: unknown) => e);
    assert.ok(error instanceof ApiError && error.notAvailable);
    assert.equal(error.message, 'Route not found');
    assert.equal(calls[0]?.headers.authorization, undefined);
  });
});
