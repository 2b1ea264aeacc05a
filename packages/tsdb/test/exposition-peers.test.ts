// Parses what the real Prometheus and node exporter serve on /metrics, asked for both formats.
// A missing binary fails the test with the Debian package to install: it never skips.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningPeer, startNodeExporter, startPrometheus } from '@vigil/test-peers';
import { type ExpositionFormat, formatFromContentType, parseExposition, type Sample } from '../src/index.js';

const ACCEPT = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
} as const;

interface Scraped {
  format: ExpositionFormat;
  body: string;
  samples: Sample[];
  families: Map<string, string>;
}

async function scrape(peer: RunningPeer, accept: string): Promise<Scraped> {
  const response = await fetch(`${peer.url}/metrics`, { headers: { accept }, signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200);
  const format = formatFromContentType(response.headers.get('content-type'), { fallback: null });
  const body = await response.text();
  const samples: Sample[] = [];
  const families = new Map<string, string>();
  for (const entry of parseExposition(body, { format })) {
    if (entry.kind === 'sample') samples.push(entry.sample);
    else families.set(entry.family.name, entry.family.type);
  }
  return { format, body, samples, families };
}

/** Sample lines as the body has them: every line that is neither blank nor a comment. */
function sampleLines(body: string): number {
  return body.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
}

describe('parses the /metrics of real peers in both formats', { timeout: 60_000 }, () => {
  let nodeExporter: RunningPeer | undefined;
  let prometheus: RunningPeer | undefined;

  before(async () => {
    const [a, b] = await Promise.allSettled([startNodeExporter(), startPrometheus()]);
    if (a.status === 'fulfilled') nodeExporter = a.value;
    if (b.status === 'fulfilled') prometheus = b.value;
    const failed = [a, b].find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  });

  after(async () => {
    await Promise.all([nodeExporter?.stop(), prometheus?.stop()]);
  });

  for (const [label, accept] of Object.entries(ACCEPT)) {
    test(`prometheus-node-exporter, Accept ${label}`, async () => {
      const scraped = await scrape(nodeExporter!, accept);
      assert.ok(scraped.samples.length > 300, `only ${scraped.samples.length} samples`);
      assert.equal(scraped.samples.length, sampleLines(scraped.body));
      assert.equal(scraped.families.get('node_cpu_seconds_total'), 'counter');
      assert.equal(scraped.families.get('go_gc_duration_seconds'), 'summary');
      const cpu = scraped.samples.find((s) => s.name === 'node_cpu_seconds_total');
      assert.deepEqual(
        cpu?.labels.map((l) => l.name),
        ['cpu', 'mode'],
      );
      assert.ok(cpu!.value >= 0);
      const build = scraped.samples.find((s) => s.name === 'node_exporter_build_info');
      assert.equal(build?.value, 1);
      assert.ok(build!.labels.some((l) => l.name === 'version' && /^\d+\.\d+/.test(l.value)));
    });

    test(`prometheus, Accept ${label}`, async () => {
      const scraped = await scrape(prometheus!, accept);
      assert.ok(scraped.samples.length > 200, `only ${scraped.samples.length} samples`);
      assert.equal(scraped.families.get('prometheus_build_info'), 'gauge');
      assert.equal(scraped.families.get('prometheus_http_requests_total'), 'counter');
      const histogram = scraped.samples.filter((s) => s.name === 'prometheus_http_request_duration_seconds_bucket');
      assert.ok(histogram.length > 0);
      assert.ok(histogram.every((s) => s.family?.type === 'histogram'));
      assert.ok(histogram.some((s) => s.labels.some((l) => l.name === 'le' && l.value === '+Inf')));
      if (scraped.format === 'openmetrics') {
        assert.match(scraped.body, /# EOF\n?$/);
      } else {
        assert.equal(scraped.samples.length, sampleLines(scraped.body));
      }
    });
  }
});
