import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RemoteWriteConfig } from '../src/config/types.js';
import { createRemoteWrite, decodeWriteRequest, encodeWriteRequest } from '../src/remote-write/index.js';
import type { SampleSink } from '../src/scrape/target.js';
import { RecordingSink } from './support/recording-sink.js';
import {
  metricValue,
  type PeerBehaviour,
  quietLogger,
  RemoteWritePeer,
  remoteConfig,
  remoteWriteFixture,
  waitFor,
} from './support/remote-write-peer.js';

describe('remote write metadata (metadata_config)', () => {
  const f = remoteWriteFixture('vigil-rw-meta-');

  const open = async (metadata: Partial<RemoteWriteConfig['metadata']>, behaviour?: PeerBehaviour) => {
    f.peer = new RemoteWritePeer(behaviour);
    const base = remoteConfig(await f.peer.listen());
    const config: RemoteWriteConfig = {
      ...base,
      name: 'peer',
      metadata: { ...base.metadata, send: true, sendInterval: 50, ...metadata },
    };
    const remote = createRemoteWrite({
      configs: [config],
      dataDir: f.dataDir,
      logger: quietLogger(),
      metrics: f.metrics,
    });
    f.remote = remote;
    const sink: SampleSink = remote.sink(new RecordingSink());
    remote.start();
    return sink;
  };
  const metadataRequests = () => f.peer.accepted.filter((write) => write.metadata.length > 0);
  const sent = (result: string) =>
    metricValue(f.metrics, 'vigil_remote_write_metadata_total', { remote: 'peer', result });

  test('every family seen is sent with its type, help and unit, in requests that carry only metadata', async () => {
    const sink = await open({ maxSamplesPerSend: 2 });
    sink.setMetadata('http_requests_total', { type: 'counter', help: 'Requests.', unit: '' });
    sink.setMetadata('queue_depth', { type: 'untyped', help: '', unit: '' });
    sink.setMetadata('request_seconds', { type: 'histogram', help: 'Latency.', unit: 'seconds' });
    await waitFor(() => metadataRequests().length >= 2, 5000, 'two metadata requests (2 + 1 entries)');
    const [first, second] = metadataRequests();
    assert.deepEqual(first!.series, [], 'no samples in a metadata request');
    assert.deepEqual(
      [...first!.metadata, ...second!.metadata],
      [
        { metric: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
        { metric: 'queue_depth', type: 'unknown', help: '', unit: '' },
        { metric: 'request_seconds', type: 'histogram', help: 'Latency.', unit: 'seconds' },
      ],
    );
    assert.equal(first!.headers['content-encoding'], 'snappy');
    assert.ok((await sent('sent')) >= 3);
  });

  test('a later value of a family replaces the earlier one', async () => {
    const sink = await open({});
    sink.setMetadata('m', { type: 'gauge', help: 'old', unit: '' });
    sink.setMetadata('m', { type: 'gauge', help: 'new', unit: '' });
    await waitFor(() => metadataRequests().length >= 1, 5000, 'a metadata request');
    assert.deepEqual(metadataRequests()[0]!.metadata, [{ metric: 'm', type: 'gauge', help: 'new', unit: '' }]);
  });

  test('a failed send is counted and the next interval sends everything again', async () => {
    const sink = await open({}, (attempt) => (attempt === 1 ? { status: 503 } : undefined));
    sink.setMetadata('m', { type: 'counter', help: 'M.', unit: '' });
    await waitFor(() => metadataRequests().length >= 1, 5000, 'a metadata request after the 503');
    assert.equal(await sent('failed'), 1);
    assert.deepEqual(metadataRequests()[0]!.metadata, [{ metric: 'm', type: 'counter', help: 'M.', unit: '' }]);
  });

  test('with send: false nothing but samples goes out', async () => {
    const sink = await open({ send: false });
    sink.setMetadata('m', { type: 'counter', help: 'M.', unit: '' });
    const ref = sink.ref([{ name: '__name__', value: 'm' }]);
    sink.append(ref, 1_000_000, 1);
    await waitFor(() => f.peer.sampleCount === 1, 5000, 'the sample');
    await sleep(200);
    assert.deepEqual(metadataRequests(), []);
  });

  test('the encoding reads back as the receiver decodes what Prometheus sends', () => {
    const metadata = [
      { metric: 'a_total', type: 'counter' as const, help: 'A.', unit: '' },
      { metric: 'b_info', type: 'info' as const, help: '', unit: '' },
      { metric: 'c', type: 'unknown' as const, help: 'C.', unit: 'bytes' },
    ];
    const body = encodeWriteRequest([], metadata);
    assert.deepEqual(decodeWriteRequest(body, 1 << 20), { series: [], metadata });
  });
});
