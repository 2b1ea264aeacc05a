import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CONTENT_SECURITY_POLICY, DashboardFiles, dashboardRoot, serveDashboard } from '../src/index.js';

describe('serveDashboard', () => {
  let root: string;
  let files: DashboardFiles;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'vigil-dashboard-files-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-AbC123.css'), 'body{}');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    files = new DashboardFiles(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('serves hashed assets as immutable with their content type', () => {
    const js = files.serve('/assets/index-AbC123.js');
    assert.equal(js?.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.body.toString(), 'console.log(1)');
    assert.equal(files.serve('/assets/index-AbC123.css')?.headers['content-type'], 'text/css; charset=utf-8');
  });

  it('serves index.html with no-cache and a content security policy', () => {
    const index = files.serve('/');
    assert.equal(index?.status, 200);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(index.headers['cache-control'], 'no-cache');
    assert.equal(index.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(index.body.toString(), /id="root"/);
    assert.deepEqual(files.serve('/index.html')?.body, index.body);
  });

  it('answers the app routes with index.html, query strings included', () => {
    for (const path of ['/system', '/explore?q=up&range=6h', '/llm/', '/alerts#x']) {
      const answer = files.serve(path);
      assert.equal(answer?.status, 200, path);
      assert.equal(answer.headers['content-type'], 'text/html; charset=utf-8', path);
    }
  });

  it('gzips text files for clients that take gzip, once, and says it varies', () => {
    writeFileSync(join(root, 'assets', 'big-Zz9.js'), 'const a = 1;\n'.repeat(500));
    const big = new DashboardFiles(root);
    const plain = big.serve('/assets/big-Zz9.js');
    assert.ok(plain);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'accept-encoding');
    const zipped = big.serve('/assets/big-Zz9.js', 'br, gzip;q=0.8');
    assert.equal(zipped?.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(zipped.body).toString(), plain.body.toString());
    assert.equal(zipped.headers['content-length'], String(zipped.body.length));
    assert.equal(big.serve('/assets/big-Zz9.js', 'gzip')?.body, zipped.body, 'compressed once');
    assert.equal(big.serve('/assets/big-Zz9.js', 'gzip;q=0, identity')?.headers['content-encoding'], undefined);
    assert.equal(big.serve('/favicon.svg', 'gzip')?.headers['content-encoding'], undefined, 'too small to bother');
  });

  it('leaves API paths and unknown files to the caller', () => {
    assert.equal(files.serve('/api/v1/query'), undefined);
    assert.equal(files.serve('/assets/missing-123.js'), undefined);
    assert.equal(files.serve('/robots.txt'), undefined);
  });

  it('never reads outside the directory', () => {
    for (const path of ['/../package.json', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/a%00b']) {
      const answer = files.serve(path);
      assert.ok(answer === undefined || answer.body.toString().includes('id="root"'), path);
    }
    assert.equal(files.serve('/%E0%A4%A'), undefined);
  });

  it('answers 503 naming the build command when the dashboard is not built', () => {
    const missing = new DashboardFiles(join(root, 'nowhere'));
    const answer = missing.serve('/');
    assert.equal(answer?.status, 503);
    assert.match(answer.body.toString(), /npm run build/);
  });

  it('serves the built dashboard from dashboardRoot', () => {
    assert.match(dashboardRoot, /dashboard[\\/]dist[\\/]public$/);
    const index = serveDashboard('/');
    assert.equal(index?.status, 200, 'run `npm run build` first: dist/public is missing');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body.toString())?.[1];
    assert.ok(script, 'index.html loads a hashed script');
    assert.equal(serveDashboard(script)?.headers['cache-control'], 'public, max-age=31536000, immutable');
  });
});
