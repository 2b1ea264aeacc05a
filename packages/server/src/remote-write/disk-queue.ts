import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One segment: a request body ready to POST, with the number of samples it holds. */
export interface Segment {
  seq: number;
  samples: number;
  /** Newest sample time in it (ms), for the lag. */
  newest: number;
  bytes: number;
  path: string;
}

/** Why a segment was not written. */
export type SegmentRefusal = 'disk_full' | 'disk_error';

// Segments sit in the remote's directory as `<seq>-<samples>-<newest t>.rw`, each a snappy WriteRequest
// (what goes on the wire), written to a temp name and renamed so a crash never leaves half a
// segment. seq starts high so segments can also be put in front of the oldest one (a batch that
// was in flight at shutdown is older than everything spilled after it).
const FIRST_SEQ = 1_000_000_000;
const NAME = /^(\d{12})-(\d+)-(-?\d+)\.rw$/;

/** The disk-backed part of a remote's queue: ordered segments, bounded by bytes. */
export class DiskQueue {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #segments: Segment[] = [];
  #bytes = 0;
  #samples = 0;

  /** Opens (creating) `dir` and picks up the segments a previous run left. */
  constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const match = NAME.exec(name);
      const path = join(dir, name);
      if (!match) {
        if (name.endsWith('.tmp')) rmSync(path, { force: true });
        continue;
      }
      const bytes = statSync(path).size;
      this.#segments.push({ seq: Number(match[1]), samples: Number(match[2]), newest: Number(match[3]), bytes, path });
      this.#bytes += bytes;
      this.#samples += Number(match[2]);
    }
  }

  get empty(): boolean {
    return this.#segments.length === 0;
  }

  /** Samples in all segments. */
  get samples(): number {
    return this.#samples;
  }

  /** Bytes of all segments. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Writes `body` as the newest segment (or the oldest with `front`); answers why not when it could not. */
  push(body: Buffer, samples: number, newest: number, front = false): SegmentRefusal | undefined {
    if (this.#bytes + body.length > this.#maxBytes) return 'disk_full';
    const seq = front
      ? (this.#segments[0]?.seq ?? FIRST_SEQ) - 1
      : (this.#segments[this.#segments.length - 1]?.seq ?? FIRST_SEQ) + 1;
    const path = join(this.#dir, `${String(seq).padStart(12, '0')}-${samples}-${newest}.rw`);
    try {
      writeFileSync(`${path}.tmp`, body);
      renameSync(`${path}.tmp`, path);
    } catch {
      rmSync(`${path}.tmp`, { force: true });
      return 'disk_error';
    }
    const segment = { seq, samples, newest, bytes: body.length, path };
    if (front) this.#segments.unshift(segment);
    else this.#segments.push(segment);
    this.#bytes += body.length;
    this.#samples += samples;
    return undefined;
  }

  /** The oldest segment and its body, or undefined when empty. */
  peek(): { segment: Segment; body: Buffer } | undefined {
    const segment = this.#segments[0];
    if (!segment) return undefined;
    return { segment, body: readFileSync(segment.path) };
  }

  /** Removes the oldest segment (sent, refused by the remote, or unreadable); answers its sample count. */
  shift(): number {
    const segment = this.#segments.shift();
    if (!segment) return 0;
    rmSync(segment.path, { force: true });
    this.#bytes -= segment.bytes;
    this.#samples -= segment.samples;
    return segment.samples;
  }
}
