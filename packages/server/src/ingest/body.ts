import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { IngestLimits } from './limits.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** A request that is refused before its payload is looked at: the HTTP status and why. */
export class Refused extends Error {
  override name = 'Refused';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The body as it was sent, after Content-Encoding is undone, within the size limits. */
export async function readBody(raw: IncomingMessage, limits: IngestLimits): Promise<Buffer> {
  const encoding = (raw.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
    drain(raw);
    throw new Refused(415, `Content-Encoding "${encoding}" is not supported: send gzip, deflate or identity`);
  }
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    drain(raw);
    throw new Refused(413, `the body is ${declared} bytes, more than the limit of ${limits.maxBodyBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        drain(raw);
        throw new Refused(413, `the body is more than the limit of ${limits.maxBodyBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof Refused) throw err;
    throw new Refused(400, `the body was cut off after ${size} bytes: ${(err as Error).message}`);
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  if (encoding === 'identity') return body;
  try {
    const options = { maxOutputLength: limits.maxDecodedBytes };
    return encoding === 'gzip' ? await gunzipAsync(body, options) : await inflateAsync(body, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new Refused(413, `the body is more than ${limits.maxDecodedBytes} bytes once decompressed`);
    }
    throw new Refused(400, `the body is not valid ${encoding}: ${(err as Error).message}`);
  }
}

/** Reads and discards the rest of a refused body, so the connection can be reused. */
function drain(raw: IncomingMessage): void {
  raw.resume();
}
