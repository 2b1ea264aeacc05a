import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@vigil/sdk';
import type { Label } from '@vigil/tsdb';
import type { RemoteWriteConfig } from '../config/types.js';
import { relabel } from '../discovery/relabel.js';
import { DiskQueue } from './disk-queue.js';
import { RemoteEndpoint } from './endpoint.js';
import { MetadataSender } from './metadata-sender.js';
import type { RemoteWriteMetrics } from './remote-write-metrics.js';
import { encodeWriteRequest, type WireMetadata, type WireSeries } from './wire.js';

interface Entry {
  ref: number;
  t: number;
  v: number;
}

interface Shard {
  buffer: Entry[];
  sending: boolean;
}

type Outcome = 'sent' | 'refused' | 'aborted';

/** What a queue needs from the sender around it. */
export interface RemoteQueueDeps {
  name: string;
  dir: string;
  maxDiskBytes: number;
  externalLabels: readonly Label[];
  /** The labels of an inner sink ref, as the tee saw them. */
  labelsOf(ref: number): readonly Label[] | undefined;
  log: Logger;
  metrics: RemoteWriteMetrics;
  now: () => number;
  /** The metadata of every family seen so far, sent as `metadata_config` says. */
  metadata(): WireMetadata[];
}

/**
 * One remote_write endpoint: samples go to shards in memory (a series always to the same shard,
 * so its samples leave in order), each shard sending batches of max_samples_per_send at least
 * every batch_send_deadline. When a shard holds `capacity` samples (the remote is slow or down)
 * everything not in flight spills to the disk queue, and new samples follow it there until the
 * disk queue is sent, oldest segment first; then memory takes over again.
 */
export class RemoteQueue {
  readonly config: RemoteWriteConfig;
  /** The `remote` label of its metrics. */
  readonly name: string;
  readonly #deps: RemoteQueueDeps;
  readonly #endpoint: RemoteEndpoint;
  readonly #disk: DiskQueue;
  readonly #metadata: MetadataSender;
  readonly #series = new Map<number, readonly Label[] | null>();
  readonly #abort = new AbortController();
  readonly #labels: { remote: string };
  #shards: Shard[] = [];
  #desiredShards: number;
  #spilled: Entry[] = [];
  #spilling: boolean;
  #draining = false;
  #inFlight = 0;
  #inFlightSamples = 0;
  #memorySamples = 0;
  #newestAppended = 0;
  #newestSent = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropWarned = false;
  #idleTicks = 0;
  #lastLossAt = 0;

  constructor(config: RemoteWriteConfig, deps: RemoteQueueDeps) {
    this.config = config;
    this.#deps = deps;
    this.name = deps.name;
    this.#labels = { remote: deps.name };
    this.#endpoint = new RemoteEndpoint(config);
    this.#metadata = new MetadataSender(config, this.#endpoint, deps);
    this.#disk = new DiskQueue(deps.dir, deps.maxDiskBytes);
    this.#spilling = !this.#disk.empty;
    this.#desiredShards = Math.max(1, config.queue.minShards);
    this.#shards = Array.from({ length: this.#desiredShards }, () => ({ buffer: [], sending: false }));
    if (this.#spilling) {
      deps.log.info({ remote: deps.name, samples: this.#disk.samples }, 'remote write: resuming the disk queue');
    }
  }

  /** Starts the batch deadline timer and the disk queue. */
  start(): void {
    const every = Math.max(10, this.config.queue.batchSendDeadline);
    this.#timer = setInterval(() => this.#tick(), every);
    this.#timer.unref();
    this.#metadata.start();
    this.#drain();
    this.#report();
  }

  /** Queues one sample of the inner sink's series `ref` (write_relabel_configs may drop it). */
  append(ref: number, t: number, v: number): void {
    let labels = this.#series.get(ref);
    if (labels === undefined) {
      labels = this.#relabel(ref);
      this.#series.set(ref, labels);
    }
    if (labels === null) return;
    if (t > this.#newestAppended) this.#newestAppended = t;
    const entry = { ref, t, v };
    if (this.#spilling) {
      this.#spilled.push(entry);
      if (this.#spilled.length >= this.config.queue.maxSamplesPerSend) this.#writeSpilled();
      return;
    }
    const shard = this.#shards[ref % this.#shards.length]!;
    shard.buffer.push(entry);
    this.#memorySamples++;
    if (shard.buffer.length >= this.config.queue.capacity) this.#spill();
    else if (shard.buffer.length >= this.config.queue.maxSamplesPerSend) this.#send(shard);
  }

  /**
   * Sends what it can within `timeoutMs`, then aborts what is in flight and writes everything
   * still held to the disk queue, so the next start sends it.
   */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.#timer);
    await this.#metadata.stop();
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && this.#busy()) {
      for (const shard of this.#shards) this.#send(shard);
      if (this.#spilled.length > 0) this.#writeSpilled();
      this.#drain();
      await sleep(Math.min(20, Math.max(1, deadline - performance.now())));
    }
    this.#abort.abort();
    while (this.#inFlight > 0 || this.#draining) await sleep(1);
    this.#spilling = true;
    for (const shard of this.#shards) {
      this.#writeEntries(shard.buffer);
      shard.buffer = [];
    }
    this.#memorySamples = 0;
    this.#writeSpilled();
    this.#endpoint.close();
    this.#report();
  }

  /** Whether the queue is sending from disk (the remote fell behind), and when samples were last lost (ms, 0: never). */
  get state(): { spilling: boolean; lastLossAt: number } {
    return { spilling: this.#spilling, lastLossAt: this.#lastLossAt };
  }

  #busy(): boolean {
    return this.#memorySamples > 0 || this.#inFlight > 0 || !this.#disk.empty || this.#spilled.length > 0;
  }

  #relabel(ref: number): readonly Label[] | null {
    const labels = this.#deps.labelsOf(ref);
    if (!labels) return null;
    let withExternal: readonly Label[] = labels;
    if (this.#deps.externalLabels.length > 0) {
      const names = new Set(labels.map((l) => l.name));
      const extra = this.#deps.externalLabels.filter((l) => !names.has(l.name));
      if (extra.length > 0) withExternal = [...labels, ...extra].sort((a, b) => (a.name < b.name ? -1 : 1));
    }
    const rules = this.config.writeRelabelConfigs;
    if (rules.length === 0) return withExternal;
    return relabel(withExternal, rules) ?? null;
  }

  #tick(): void {
    for (const shard of this.#shards) this.#send(shard);
    if (this.#spilled.length > 0 && !this.#disk.empty) this.#writeSpilled();
    this.#drain();
    this.#reshard();
    this.#report();
  }

  // More shards while a backlog outgrows one batch per shard; fewer after idle ticks. Applied
  // only when nothing is in flight, so moving buffered samples keeps each series in order.
  #reshard(): void {
    const { maxShards, minShards, maxSamplesPerSend } = this.config.queue;
    const n = this.#shards.length;
    if (this.#memorySamples > n * maxSamplesPerSend) {
      this.#idleTicks = 0;
      this.#desiredShards = Math.min(Math.max(1, maxShards), n * 2);
    } else if (this.#memorySamples === 0 && ++this.#idleTicks >= 3) {
      this.#idleTicks = 0;
      this.#desiredShards = Math.max(Math.max(1, minShards), n - 1);
    }
    if (this.#desiredShards === n || this.#inFlight > 0) return;
    const buffered = this.#shards.flatMap((s) => s.buffer);
    this.#shards = Array.from({ length: this.#desiredShards }, () => ({ buffer: [], sending: false }));
    for (const entry of buffered) this.#shards[entry.ref % this.#shards.length]!.buffer.push(entry);
  }

  #send(shard: Shard): void {
    if (shard.sending || shard.buffer.length === 0 || this.#abort.signal.aborted) return;
    const batch = shard.buffer.splice(0, this.config.queue.maxSamplesPerSend);
    this.#memorySamples -= batch.length;
    shard.sending = true;
    this.#inFlight++;
    this.#inFlightSamples += batch.length;
    void this.#deliver(this.#encode(batch), batch.length, newestOf(batch)).then((outcome) => {
      shard.sending = false;
      this.#inFlight--;
      this.#inFlightSamples -= batch.length;
      if (outcome === 'aborted') this.#writeEntries(batch, true);
      else if (shard.buffer.length >= this.config.queue.maxSamplesPerSend) this.#send(shard);
      this.#drain();
      this.#report();
    });
  }

  // A shard is full: what is not in flight goes to disk, and new samples follow it there.
  #spill(): void {
    const held = this.#memorySamples;
    this.#spilling = true;
    for (const shard of this.#shards) {
      this.#writeEntries(shard.buffer);
      shard.buffer = [];
    }
    this.#memorySamples = 0;
    this.#deps.log.warning(
      { remote: this.#deps.name, samples: held, diskBytes: this.#disk.bytes },
      'remote write: the remote is slow or down; spilling the queue to disk',
    );
  }

  #writeSpilled(): void {
    const entries = this.#spilled;
    this.#spilled = [];
    this.#writeEntries(entries);
  }

  #writeEntries(entries: Entry[], front = false): void {
    const size = this.config.queue.maxSamplesPerSend;
    const batches: Entry[][] = [];
    for (let i = 0; i < entries.length; i += size) batches.push(entries.slice(i, i + size));
    if (front) batches.reverse();
    for (const batch of batches) {
      const refusal = this.#disk.push(this.#encode(batch), batch.length, newestOf(batch), front);
      if (refusal === undefined) continue;
      const { samples, failures } = this.#deps.metrics;
      samples.inc({ ...this.#labels, result: 'dropped' }, batch.length);
      this.#lastLossAt = this.#deps.now();
      failures.inc({ ...this.#labels, reason: refusal });
      if (!this.#dropWarned) {
        this.#dropWarned = true;
        this.#deps.log.error(
          { remote: this.#deps.name, reason: refusal, samples: batch.length, diskBytes: this.#disk.bytes },
          `remote write: disk queue ${refusal === 'disk_full' ? 'is full' : 'cannot be written'}; dropping samples until it drains (counted in vigil_remote_write_samples_total{result="dropped"})`,
        );
      }
    }
  }

  // Sends the disk queue oldest first, one segment at a time, once the shards have nothing in
  // flight (their batches are older). When it is empty, the samples held for it go back to memory.
  #drain(): void {
    if (!this.#spilling || this.#draining || this.#inFlight > 0 || this.#abort.signal.aborted) return;
    this.#draining = true;
    void (async () => {
      while (!this.#abort.signal.aborted) {
        let next: ReturnType<DiskQueue['peek']>;
        try {
          next = this.#disk.peek();
        } catch (error) {
          // A segment that cannot be read (removed or damaged underneath us) is skipped, counted.
          this.#unreadable(error);
          continue;
        }
        if (!next) break;
        const outcome = await this.#deliver(next.body, next.segment.samples, next.segment.newest);
        if (outcome === 'aborted') break;
        this.#disk.shift();
        this.#report();
      }
      this.#draining = false;
      if (this.#abort.signal.aborted || !this.#disk.empty) return;
      this.#spilling = false;
      this.#dropWarned = false;
      const back = this.#spilled;
      this.#spilled = [];
      for (const entry of back) this.#shards[entry.ref % this.#shards.length]!.buffer.push(entry);
      this.#memorySamples += back.length;
      this.#deps.log.info({ remote: this.#deps.name }, 'remote write: disk queue sent; back to memory');
      for (const shard of this.#shards)
        if (shard.buffer.length >= this.config.queue.maxSamplesPerSend) this.#send(shard);
    })();
  }

  #unreadable(error: unknown): void {
    const lost = this.#disk.shift();
    this.#deps.metrics.samples.inc({ ...this.#labels, result: 'dropped' }, lost);
    this.#lastLossAt = this.#deps.now();
    this.#deps.metrics.failures.inc({ ...this.#labels, reason: 'disk_error' });
    this.#deps.log.error(
      { remote: this.#deps.name, err: error, samples: lost },
      'remote write: a disk queue segment cannot be read; skipping it',
    );
  }

  // One batch until it is sent, refused (a 4xx other than 429: retrying cannot help) or aborted
  // by stop(); 5xx, 429 and network errors are retried with exponential backoff.
  async #deliver(body: Buffer, count: number, newest: number): Promise<Outcome> {
    const { minBackoff, maxBackoff } = this.config.queue;
    const { samples, failures } = this.#deps.metrics;
    let backoff = Math.max(1, minBackoff);
    const signal = this.#abort.signal;
    for (;;) {
      if (signal.aborted) return 'aborted';
      let wait = backoff;
      try {
        const answer = await this.#endpoint.post(body, signal);
        if (answer.status >= 200 && answer.status < 300) {
          samples.inc({ ...this.#labels, result: 'sent' }, count);
          if (newest > this.#newestSent) this.#newestSent = newest;
          return 'sent';
        }
        if (answer.status === 429) {
          failures.inc({ ...this.#labels, reason: 'status_429' });
          wait = answer.retryAfterMs ?? backoff;
        } else if (answer.status >= 500) {
          failures.inc({ ...this.#labels, reason: 'status_5xx' });
        } else {
          failures.inc({ ...this.#labels, reason: 'status_4xx' });
          samples.inc({ ...this.#labels, result: 'refused' }, count);
          this.#lastLossAt = this.#deps.now();
          this.#deps.log.error(
            { remote: this.#deps.name, status: answer.status, body: answer.text, samples: count },
            'remote write: the remote refused a batch; dropping it',
          );
          return 'refused';
        }
        this.#deps.log.debug({ remote: this.#deps.name, status: answer.status, wait }, 'remote write: retrying');
      } catch (error) {
        if (signal.aborted) return 'aborted';
        failures.inc({ ...this.#labels, reason: 'network' });
        this.#deps.log.debug({ remote: this.#deps.name, err: error, wait }, 'remote write: retrying');
      }
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return 'aborted';
      }
      backoff = Math.min(backoff * 2, Math.max(minBackoff, maxBackoff));
    }
  }

  #encode(batch: readonly Entry[]): Buffer {
    const byRef = new Map<number, WireSeries>();
    for (const { ref, t, v } of batch) {
      let series = byRef.get(ref);
      if (!series) {
        series = { labels: this.#series.get(ref) ?? [], samples: [] };
        byRef.set(ref, series);
      }
      series.samples.push({ t, v });
    }
    return encodeWriteRequest([...byRef.values()]);
  }

  #report(): void {
    const pending = this.#memorySamples + this.#inFlightSamples + this.#disk.samples + this.#spilled.length;
    const { pending: gauge, lag, shards } = this.#deps.metrics;
    gauge.set(this.#labels, pending);
    lag.set(this.#labels, pending === 0 ? 0 : Math.max(0, this.#newestAppended - this.#newestSent) / 1000);
    shards.set(this.#labels, this.#shards.length);
  }
}

function newestOf(batch: readonly Entry[]): number {
  let newest = 0;
  for (const entry of batch) if (entry.t > newest) newest = entry.t;
  return newest;
}
