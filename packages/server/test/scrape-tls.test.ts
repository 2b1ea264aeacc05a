import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/index.js';
import { TargetDiscovery } from '../src/discovery/index.js';
import { scrapeTargetOf } from '../src/scrape/from-config.js';
import { ScrapeLoop } from '../src/scrape/scrape-loop.js';
import { RecordingSink } from './support/recording-sink.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/tls/', import.meta.url));

// An HTTPS target with bearer auth, scraped through the config (tls_config, authorization) as users write it.
describe('scraping over TLS with credentials from the config', () => {
  let server: Server;
  let port = 0;
  const seen: (string | undefined)[] = [];
  before(async () => {
    server = createServer(
      { cert: readFileSync(`${fixtures}server.crt`), key: readFileSync(`${fixtures}server.key`) },
      (req, res) => {
        seen.push(req.headers.authorization);
        if (req.headers.authorization !== 'Bearer s3cret') return void res.writeHead(401).end();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('secure_metric 1\n');
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  async function scrapeWith(tlsConfig: string) {
    const yaml = [
      'scrape_configs:',
      '  - job_name: secure',
      '    scheme: https',
      '    authorization: { credentials: s3cret }',
      `    tls_config: ${tlsConfig}`,
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
    ].join('\n');
    const config = parseConfig(yaml, `${fixtures}vigil.yaml`, {});
    const discovery = new TargetDiscovery(config);
    await discovery.start();
    const [target] = discovery.targets();
    discovery.stop();
    const sink = new RecordingSink();
    const outcome = await new ScrapeLoop(scrapeTargetOf(target!), sink).scrape(Date.now());
    return { outcome, sink };
  }

  test('the CA file makes the certificate trusted; the bearer token is sent', async () => {
    const { outcome, sink } = await scrapeWith('{ ca_file: server.crt }');
    assert.equal(outcome.error, '');
    assert.equal(sink.of(`secure_metric{instance="127.0.0.1:${port}",job="secure"}`)[0]?.v, 1);
    assert.equal(seen.at(-1), 'Bearer s3cret');
  });

  test('without the CA the scrape fails with the TLS reason; insecure_skip_verify accepts it', async () => {
    const untrusted = await scrapeWith('{}');
    assert.equal(untrusted.outcome.up, false);
    assert.match(untrusted.outcome.error, /self[- ]signed|certificate/i);
    const skipped = await scrapeWith('{ insecure_skip_verify: true }');
    assert.equal(skipped.outcome.error, '');
  });

  test('a CA file that cannot be read is a config error naming the field', async () => {
    await assert.rejects(
      scrapeWith('{ ca_file: missing.crt }'),
      /tls_config\.ca_file .*missing\.crt: cannot read it: no such file/,
    );
  });
});
