import { Refused } from './body.js';
import type { IngestLimits } from './limits.js';

/**
 * Bounds the ingest work held at once: requests in flight and the bytes of their bodies. Past
 * either bound a request is refused with 429 and Retry-After before its body is read, so an
 * overload costs a short answer, not memory.
 */
export class Admission {
  #inFlight = 0;
  #bytes = 0;
  /** Requests refused with 429 since start. */
  refused = 0;
  readonly #limits: IngestLimits;

  constructor(limits: IngestLimits) {
    this.#limits = limits;
  }

  /** Requests being handled now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes a slot for a request declaring `contentLength` bytes; the returned function gives it back. */
  enter(contentLength: number): () => void {
    const bytes = Number.isFinite(contentLength) && contentLength > 0 ? contentLength : 0;
    if (
      this.#inFlight >= this.#limits.maxInFlight ||
      (this.#bytes > 0 && this.#bytes + bytes > this.#limits.maxBufferedBytes)
    ) {
      this.refused++;
      throw new Refused(
        429,
        `ingest is busy (${this.#inFlight} requests in flight): retry later`,
        this.#limits.retryAfterSeconds,
      );
    }
    this.#inFlight++;
    this.#bytes += bytes;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inFlight--;
      this.#bytes -= bytes;
    };
  }
}
