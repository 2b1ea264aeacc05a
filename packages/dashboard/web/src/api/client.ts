// One way to call the service: the admin token as a bearer, JSON in, Prometheus-style errors out.

/** A failed API call: HTTP status, Prometheus `errorType` when the service gave one, and its message. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorType: string | undefined;

  constructor(status: number, message: string, errorType?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorType = errorType;
  }

  /** The route does not exist on this service yet (404 from the router, not from a query). */
  get notAvailable(): boolean {
    return this.status === 404;
  }
}

/** Query parameters; arrays repeat the key (`match[]=a&match[]=b`), undefined values are left out. */
export type Params = Record<string, string | number | readonly string[] | undefined>;

/** What every view uses to reach the service. */
export interface ApiClient {
  /** GET `path` and parse JSON; any status other than 2xx (and those in `accept`) is an `ApiError`. */
  getJson<T>(path: string, params?: Params, options?: { signal?: AbortSignal; accept?: number[] }): Promise<T>;
  /** Sends `body` as JSON with `method`; answers as `getJson`. */
  sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Promise<T>;
  /** GET a Prometheus API route and return its `data`; `{status:'error'}` bodies become an `ApiError`. */
  prometheus<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T>;
}

/** Options of `createApiClient`. */
export interface ApiClientOptions {
  /** The admin token; empty when the service runs without admin auth. */
  token: string;
  /** Called on any 401, after which the call still fails. */
  onUnauthorized?: () => void;
  /** Prefix of every path (the service's origin by default). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** Makes the client the views share. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl ?? '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== '') headers.authorization = `Bearer ${options.token}`;

  async function getJson<T>(
    path: string,
    params?: Params,
    opts: { signal?: AbortSignal; accept?: number[] } = {},
  ): Promise<T> {
    const response = await doFetch(base + path + queryString(params), { headers, signal: opts.signal });
    if (response.status === 401) {
      options.onUnauthorized?.();
      throw new ApiError(401, 'the admin token was not accepted');
    }
    const body = await readBody(response);
    if (response.ok || opts.accept?.includes(response.status)) return body as T;
    throw errorFrom(response, body);
  }

  return {
    getJson,
    async sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Promise<T> {
      const response = await doFetch(base + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status === 401) {
        options.onUnauthorized?.();
        throw new ApiError(401, 'the admin token was not accepted');
      }
      const answer = await readBody(response);
      if (response.ok) return answer as T;
      throw errorFrom(response, answer);
    },
    async prometheus<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
      // Prometheus answers 400/422/503 with an error envelope worth showing as it is.
      const body = await getJson<unknown>(path, params, { signal, accept: [400, 422, 503] });
      if (isEnvelope(body)) {
        if (body.status === 'success') return withNotes(body) as T;
        throw new ApiError(422, body.error ?? 'query failed', body.errorType);
      }
      throw new ApiError(502, `unexpected answer from ${path}`);
    },
  };
}

interface Envelope {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: unknown;
  infos?: unknown;
}

/** What Prometheus adds to a query answer besides data: `warnings` and `infos`, kept on object data. */
export interface QueryNotes {
  warnings?: string[];
  infos?: string[];
}

function withNotes(body: Envelope): unknown {
  const strings = (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.filter((v): v is string => typeof v === 'string') : undefined;
  const warnings = strings(body.warnings);
  const infos = strings(body.infos);
  const data = body.data;
  if (
    (warnings === undefined && infos === undefined) ||
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data)
  ) {
    return data;
  }
  return { ...data, ...(warnings && { warnings }), ...(infos && { infos }) };
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === 'object' && body !== null && 'status' in body;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorFrom(response: Response, body: unknown): ApiError {
  if (isEnvelope(body) && body.error !== undefined) return new ApiError(response.status, body.error, body.errorType);
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return new ApiError(response.status, body.message);
  }
  const text = typeof body === 'string' && body.length < 200 ? body.trim() : response.statusText;
  return new ApiError(response.status, `${response.status} ${text}`.trim());
}

function queryString(params: Params | undefined): string {
  if (params === undefined) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'object') for (const item of value) search.append(key, item);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
