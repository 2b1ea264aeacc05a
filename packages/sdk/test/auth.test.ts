import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AdminAuth } from '../src/health/index.js';
import { VigilError } from '../src/index.js';
import { captureLogger } from './support/capture.js';

const SECRET = 'a-very-long-hs256-secret-for-tests-0123456789';

describe('admin auth', () => {
  test('static tokens from VIGIL_ADMIN_TOKEN, one or several', async () => {
    const auth = new AdminAuth({ env: { VIGIL_ADMIN_TOKEN: 'first-token-abc, second-token-def' } });
    assert.equal(await auth.authorize('Bearer first-token-abc'), true);
    assert.equal(await auth.authorize('bearer second-token-def'), true);
    assert.equal(await auth.authorize('Bearer first-token-ab'), false);
    assert.equal(await auth.authorize('Bearer first-token-abcd'), false);
    assert.equal(await auth.authorize('Basic first-token-abc'), false);
    assert.equal(await auth.authorize('first-token-abc'), false);
    assert.equal(await auth.authorize(undefined), false);
    assert.equal(await auth.authorize(''), false);
  });

  test('with nothing configured every request is refused and one warning says what to set', async () => {
    const { log, out } = captureLogger();
    const auth = new AdminAuth({ env: {}, logger: log });
    assert.equal(auth.configured, false);
    assert.equal(await auth.authorize('Bearer anything'), false);
    assert.equal(await auth.authorize('Bearer anything'), false);
    assert.equal(out.lines.length, 1);
    assert.match(String(out.lines[0]!.msg), /VIGIL_ADMIN_TOKEN/);
  });

  test('HS256 JWTs signed with the secret pass; expired, wrong-key and wrong-audience ones do not', async () => {
    const auth = new AdminAuth({ env: { VIGIL_ADMIN_JWT_SECRET: SECRET }, audience: 'vigil' });
    const key = new TextEncoder().encode(SECRET);
    const sign = (claims: { aud?: string; exp?: number }, k = key) =>
      new SignJWT({ sub: 'ops' })
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(claims.aud ?? 'vigil')
        .setExpirationTime(claims.exp ?? '5m')
        .sign(k);
    assert.equal(await auth.authorize(`Bearer ${await sign({})}`), true);
    assert.equal(await auth.authorize(`Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) - 60 })}`), false);
    assert.equal(await auth.authorize(`Bearer ${await sign({ aud: 'other' })}`), false);
    const wrong = new TextEncoder().encode('another-secret-of-sufficient-length-xyz');
    assert.equal(await auth.authorize(`Bearer ${await sign({}, wrong)}`), false);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    assert.equal(await auth.authorize(`Bearer ${none}`), false, 'alg none is never accepted');
  });

  describe('JWKS', () => {
    let url = '';
    const server = createServer();
    let privateKey: Parameters<SignJWT['sign']>[0];
    before(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server.on('request', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    after(() => server.close());

    test('JWTs signed by a key of the JWKS pass', async () => {
      const auth = new AdminAuth({ env: { VIGIL_ADMIN_JWKS_URL: url }, issuer: 'https://idp.example' });
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('https://idp.example')
        .setExpirationTime('5m')
        .sign(privateKey);
      assert.equal(await auth.authorize(`Bearer ${token}`), true);
      const otherIssuer = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('https://evil.example')
        .setExpirationTime('5m')
        .sign(privateKey);
      assert.equal(await auth.authorize(`Bearer ${otherIssuer}`), false);
    });
  });

  test('bad configuration is refused with what is wrong', () => {
    const bad = (env: Record<string, string>, message: RegExp) =>
      assert.throws(
        () => new AdminAuth({ env }),
        (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_BAD_OPTION' && message.test(err.message),
      );
    bad({ VIGIL_ADMIN_TOKEN: 'good-token,,other' }, /admin token #2 is empty/);
    bad({ VIGIL_ADMIN_JWT_SECRET: 'short' }, /at least 32 characters/);
    bad({ VIGIL_ADMIN_JWKS_URL: 'not a url' }, /not a URL/);
  });
});
