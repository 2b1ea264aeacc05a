// Answers GET requests for the built dashboard from memory: the files are few and small, read once.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What the service sends back for a dashboard path. */
export interface DashboardResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page may load only its own scripts and styles and talk only to its own origin: a label value that
 * slipped into markup could still not run or phone home.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
// Vite names every asset under assets/ after a hash of its content, so a name never changes meaning.
const IMMUTABLE = 'public, max-age=31536000, immutable';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);
/** Below this, gzip saves less than its headers cost. */
const MIN_GZIP_BYTES = 1024;

/** The built files of one dashboard directory, loaded on first use. */
export class DashboardFiles {
  readonly #root: string;
  #files: Map<string, Buffer> | undefined;
  readonly #gzipped = new Map<string, Buffer>();

  constructor(root: string) {
    this.#root = root;
  }

  /**
   * The answer for the URL path `path` (a query string is ignored): a file, `index.html` for any path
   * without a file extension (the app's own routes), or `undefined` for API paths and unknown files.
   */
  serve(path: string, acceptEncoding?: string): DashboardResponse | undefined {
    const pathname = cleanPath(path);
    if (pathname === undefined || pathname.startsWith('/api/')) return undefined;
    const files = this.#load();
    const file = files.get(pathname);
    const gzip = acceptsGzip(acceptEncoding);
    if (file !== undefined && pathname !== '/index.html') {
      return this.#encode(pathname, file, gzip, fileHeaders(pathname));
    }
    if (extname(pathname) !== '' && pathname !== '/index.html') return undefined;
    const index = files.get('/index.html');
    if (index === undefined) return notBuilt();
    return this.#encode('/index.html', index, gzip, {
      'content-type': CONTENT_TYPES['.html']!,
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      ...COMMON_HEADERS,
    });
  }

  /** The file as it is, or gzipped (once, then kept) when the client takes gzip and it is worth it. */
  #encode(pathname: string, body: Buffer, gzip: boolean, headers: Record<string, string>): DashboardResponse {
    const compressible = COMPRESSIBLE.has(extname(pathname)) && body.length >= MIN_GZIP_BYTES;
    if (!compressible) return { status: 200, headers: { ...headers, 'content-length': String(body.length) }, body };
    const vary = { vary: 'accept-encoding' };
    if (!gzip) return { status: 200, headers: { ...headers, ...vary, 'content-length': String(body.length) }, body };
    let zipped = this.#gzipped.get(pathname);
    if (zipped === undefined) {
      zipped = gzipSync(body, { level: 9 });
      this.#gzipped.set(pathname, zipped);
    }
    return {
      status: 200,
      headers: { ...headers, ...vary, 'content-encoding': 'gzip', 'content-length': String(zipped.length) },
      body: zipped,
    };
  }

  #load(): Map<string, Buffer> {
    if (this.#files === undefined) this.#files = readTree(this.#root);
    return this.#files;
  }
}

function fileHeaders(pathname: string): Record<string, string> {
  return {
    'content-type': CONTENT_TYPES[extname(pathname)] ?? 'application/octet-stream',
    'cache-control': pathname.startsWith('/assets/') ? IMMUTABLE : 'no-cache',
    ...COMMON_HEADERS,
  };
}

/** Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function notBuilt(): DashboardResponse {
  const body = Buffer.from('The dashboard is not built: run `npm run build`.\n');
  return {
    status: 503,
    headers: { 'content-type': CONTENT_TYPES['.txt']!, 'content-length': String(body.length), ...COMMON_HEADERS },
    body,
  };
}

/** The decoded path without query or fragment, or `undefined` when it is not a plain absolute path. */
function cleanPath(path: string): string | undefined {
  const end = path.search(/[?#]/);
  const raw = end === -1 ? path : path.slice(0, end);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return undefined;
  return decoded;
}

/** Every file under `root` by URL path (`/assets/index-abc.js`); empty when `root` does not exist. */
function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let names: string[];
  try {
    names = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return files;
  }
  for (const name of names) {
    const full = join(root, name);
    if (!statSync(full).isFile()) continue;
    files.set(`/${relative(root, full).split(sep).join('/')}`, readFileSync(full));
  }
  return files;
}
