import type { Logger } from '@vigil/sdk';
import type { RemoteWriteConfig } from '../config/types.js';
import type { RemoteEndpoint } from './endpoint.js';
import type { RemoteWriteMetrics } from './remote-write-metrics.js';
import { encodeWriteRequest, type WireMetadata } from './wire.js';

/** What a metadata sender needs from the remote write around it. */
export interface MetadataSenderDeps {
  /** The `remote` label of its metrics. */
  name: string;
  log: Logger;
  metrics: RemoteWriteMetrics;
  /** The metadata of every metric family seen so far (type, help, unit). */
  metadata(): WireMetadata[];
}

/**
 * Sends the metadata of every family scraped so far to one remote, as Prometheus does with
 * `metadata_config`: every `send_interval`, in write requests that carry only metadata, at
 * most `max_samples_per_send` entries each. A failed send is counted and logged at debug, not
 * retried: the next interval sends the whole set again.
 */
export class MetadataSender {
  readonly #config: RemoteWriteConfig;
  readonly #deps: MetadataSenderDeps;
  readonly #endpoint: RemoteEndpoint;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;

  /** `endpoint`: the remote's, shared with its sample queue (which closes it). */
  constructor(config: RemoteWriteConfig, endpoint: RemoteEndpoint, deps: MetadataSenderDeps) {
    this.#config = config;
    this.#endpoint = endpoint;
    this.#deps = deps;
  }

  /** Starts the interval when `metadata_config.send` is on. */
  start(): void {
    if (!this.#config.metadata.send || this.#timer !== undefined) return;
    this.#timer = setInterval(
      () => {
        this.#sending ??= this.send().finally(() => {
          this.#sending = undefined;
        });
      },
      Math.max(10, this.#config.metadata.sendInterval),
    );
    this.#timer.unref();
  }

  /** Stops the interval and aborts a send in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await this.#sending;
  }

  /** Sends the metadata known now, in batches; never rejects. */
  async send(): Promise<void> {
    const all = this.#deps.metadata();
    const per = Math.max(1, this.#config.metadata.maxSamplesPerSend);
    const labels = { remote: this.#deps.name };
    for (let i = 0; i < all.length && !this.#abort.signal.aborted; i += per) {
      const batch = all.slice(i, i + per);
      try {
        const answer = await this.#endpoint.post(encodeWriteRequest([], batch), this.#abort.signal);
        if (answer.status >= 200 && answer.status < 300) {
          this.#deps.metrics.metadata.inc({ ...labels, result: 'sent' }, batch.length);
          continue;
        }
        this.#failed(batch.length, { status: answer.status, body: answer.text });
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        this.#failed(batch.length, { err: error });
      }
      return; // the next interval sends everything again
    }
  }

  #failed(entries: number, fields: Record<string, unknown>): void {
    this.#deps.metrics.metadata.inc({ remote: this.#deps.name, result: 'failed' }, entries);
    this.#deps.log.debug(
      { remote: this.#deps.name, ...fields },
      'remote write: sending metadata failed; the next send_interval tries again',
    );
  }
}
