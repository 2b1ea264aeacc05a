/** How secrets are kept out of log lines. */
export interface RedactOptions {
  /** Turn redaction off entirely (default on). */
  enabled?: boolean;
  /** Extra key names whose values are always hidden (compared case-insensitively, ignoring `-` and `_`). */
  keys?: string[];
  /** Extra value patterns to hide wherever they appear in a string (combined into one scan). */
  patterns?: RegExp[];
  /** Drop the built-in keys and patterns and use only the ones given here. */
  replaceDefaults?: boolean;
  /** What replaces a secret (default `[REDACTED]`). */
  censor?: string;
}

/** Keys hidden by default, in normalized form (lower case, no `-` or `_`). */
const SECRET_KEYS = [
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'token',
  'password',
  'passwd',
  'secret',
  'privatekey',
  'credentials',
];
/** Any key that ends like one of these is a secret too: `openai_api_key`, `github_token`. */
const SECRET_SUFFIX = /(?:apikey|token|secret|password|passwd|privatekey|authorization|cookie)$/;

/** Values that look like credentials, wherever they appear in a string. */
const SECRET_VALUES = [
  /\b(?:[Bb]earer|[Bb]asic)\s+[A-Za-z0-9._~+/=-]{8,}/,
  /\bsk-[A-Za-z0-9_-]{16,}/, // OpenAI and Anthropic keys (sk-..., sk-proj-..., sk-ant-...)
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /\bAIza[0-9A-Za-z_-]{35}/, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWTs
];

/** No built-in pattern matches fewer characters (`Basic` + a space + 8); shorter strings skip the scan. */
const SHORTEST_DEFAULT_SECRET = 14;

const MAX_DEPTH = 8;
const KEY_CACHE_LIMIT = 4096;
const AUTH_SCHEME = /^([Bb]earer|[Bb]asic)\s/;

/** Hides secrets in log objects and strings; built once per logger, cheap when nothing matches. */
export class Redactor {
  readonly censor: string;
  readonly #exactKeys: Set<string>;
  readonly #suffix: RegExp | undefined;
  readonly #scan: RegExp | undefined;
  readonly #probe: RegExp | undefined;
  readonly #shortest: number;
  readonly #keyCache = new Map<string, boolean>();

  constructor(options: RedactOptions = {}) {
    this.censor = options.censor ?? '[REDACTED]';
    const defaults = options.replaceDefaults !== true;
    this.#exactKeys = new Set([...(defaults ? SECRET_KEYS : []), ...(options.keys ?? []).map(normalizeKey)]);
    this.#suffix = defaults ? SECRET_SUFFIX : undefined;
    const patterns = [...(defaults ? SECRET_VALUES : []), ...(options.patterns ?? [])];
    // A pattern of yours may match anything down to one character.
    this.#shortest = (options.patterns ?? []).length === 0 ? SHORTEST_DEFAULT_SECRET : 0;
    if (patterns.length > 0) {
      const source = patterns.map((p) => `(?:${p.source})`).join('|');
      this.#scan = new RegExp(source, 'g');
      this.#probe = new RegExp(source);
    }
  }

  /** True when a key's value must never be logged. */
  isSecretKey(key: string): boolean {
    let secret = this.#keyCache.get(key);
    if (secret === undefined) {
      const normal = normalizeKey(key);
      secret = this.#exactKeys.has(normal) || (this.#suffix?.test(normal) ?? false);
      if (this.#keyCache.size < KEY_CACHE_LIMIT) this.#keyCache.set(key, secret);
    }
    return secret;
  }

  /** The string with every credential-looking value replaced; the same string when none. */
  redactString(text: string): string {
    if (text.length < this.#shortest || this.#probe === undefined || !this.#probe.test(text)) return text;
    return text.replace(this.#scan as RegExp, (match) => {
      const scheme = AUTH_SCHEME.exec(match);
      return scheme ? `${scheme[1]} ${this.censor}` : this.censor;
    });
  }

  /** The value with secrets hidden; plain objects and arrays are copied only where something changed. */
  redact<T>(value: T): T {
    return this.#walk(value, 0) as T;
  }

  #walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = this.#walk(value[i], depth + 1);
        if (next !== value[i]) {
          out ??= value.slice();
          out[i] = next;
        }
      }
      return out ?? value;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key in record) {
      const item = record[key];
      let next: unknown;
      if (this.isSecretKey(key)) {
        next = item === undefined || item === null || item === '' ? item : this.censor;
      } else if (typeof item === 'string') {
        next = this.redactString(item);
      } else if (item === null || typeof item !== 'object') {
        continue; // numbers, booleans, undefined: the common case, no call needed
      } else {
        next = this.#walk(item, depth + 1);
      }
      if (next !== item) {
        out ??= { ...record };
        out[key] = next;
      }
    }
    return out ?? record;
  }
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}
