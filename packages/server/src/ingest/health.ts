import { StoreError } from '@vigil/store';

/** What a readiness check answers (the SDK's CheckOutcome shape). */
export interface IngestReadiness {
  status: 'ok' | 'down';
  detail?: string;
}

/** The part of a store the readiness probe reads. */
export interface ProbeableStore {
  logs: { query(filter?: { limit?: number }): Promise<unknown> };
}

/**
 * Whether the record store takes writes. A write that fails for the store's sake (I/O, closed,
 * busy) marks it failing until a later write succeeds, or until `recoverAfterMs` passes and a
 * read goes through; the service's `/readyz` reports not ready meanwhile.
 */
export class IngestHealth {
  #failure: { at: number; message: string } | null = null;
  readonly #now: () => number;
  readonly #recoverAfterMs: number;

  constructor(options: { now?: () => number; recoverAfterMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#recoverAfterMs = options.recoverAfterMs ?? 5000;
  }

  /** Records a failed write; true when the error is the store's (answer 503), false when it is the data's. */
  failed(error: unknown): boolean {
    if (!isStoreFailure(error)) return false;
    this.#failure = { at: this.#now(), message: (error as Error).message };
    return true;
  }

  /** Records a committed write. */
  succeeded(): void {
    this.#failure = null;
  }

  /** The readiness check: down while writes fail, and when the store cannot be read. */
  async check(store: ProbeableStore): Promise<IngestReadiness> {
    if (this.#failure !== null && this.#now() - this.#failure.at < this.#recoverAfterMs) {
      return { status: 'down', detail: `record store write failed: ${this.#failure.message}` };
    }
    try {
      await store.logs.query({ limit: 1 });
    } catch (err) {
      if (isStoreFailure(err)) return { status: 'down', detail: `record store unreadable: ${(err as Error).message}` };
      throw err;
    }
    return { status: 'ok' };
  }
}

/** True for errors of the store itself (not of the data): I/O, closed, busy, cannot open. */
export function isStoreFailure(error: unknown): boolean {
  return (
    error instanceof StoreError &&
    (error.code === 'VIGIL_STORE_IO' || error.code === 'VIGIL_STORE_CLOSED' || error.code === 'VIGIL_STORE_OPEN')
  );
}
