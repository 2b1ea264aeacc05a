import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { VigilError } from '../errors.js';
import { getLogger, type Logger } from '../log/logger.js';

/** Options of the admin auth; each falls back to an environment variable. */
export interface AdminAuthOptions {
  /** Static bearer tokens (env `VIGIL_ADMIN_TOKEN`, comma-separated for several). */
  tokens?: string[];
  /** HS256 secret for JWTs (env `VIGIL_ADMIN_JWT_SECRET`). */
  jwtSecret?: string;
  /** JWKS URL for asymmetric JWTs (env `VIGIL_ADMIN_JWKS_URL`). */
  jwksUrl?: string;
  /** Required `iss` of JWTs, if any. */
  issuer?: string;
  /** Required `aud` of JWTs, if any. */
  audience?: string;
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/** The `WWW-Authenticate` value of a 401. */
export const ADMIN_CHALLENGE = 'Bearer realm="vigil"';
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Decides whether a request may use admin routes: `Authorization: Bearer <token>` with a
 * static token (compared in constant time) or a JWT (HS256 secret or JWKS). With nothing
 * configured every admin request is refused, and a warning says how to configure it.
 */
export class AdminAuth {
  readonly #digests: Buffer[];
  readonly #secret: Uint8Array | undefined;
  readonly #jwks: JWTVerifyGetKey | undefined;
  readonly #issuer: string | undefined;
  readonly #audience: string | undefined;
  readonly #logger: Logger | undefined;
  #warned = false;

  constructor(options: AdminAuthOptions = {}) {
    const env = options.env ?? process.env;
    const tokens = options.tokens ?? splitTokens(env.VIGIL_ADMIN_TOKEN);
    for (const [i, token] of tokens.entries()) {
      if (token === '' || /\s/.test(token)) {
        throw new VigilError('VIGIL_BAD_OPTION', `admin token #${i + 1} is empty or contains whitespace`);
      }
    }
    this.#digests = tokens.map(digest);
    const secret = options.jwtSecret ?? env.VIGIL_ADMIN_JWT_SECRET;
    if (secret !== undefined && secret.length < 32) {
      throw new VigilError('VIGIL_BAD_OPTION', 'VIGIL_ADMIN_JWT_SECRET must be at least 32 characters (HS256 key)');
    }
    this.#secret = secret === undefined ? undefined : new TextEncoder().encode(secret);
    const jwksUrl = options.jwksUrl ?? env.VIGIL_ADMIN_JWKS_URL;
    this.#jwks = jwksUrl === undefined ? undefined : createRemoteJWKSet(parseUrl(jwksUrl));
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#logger = options.logger;
  }

  /** True when any credential is configured. */
  get configured(): boolean {
    return this.#digests.length > 0 || this.#secret !== undefined || this.#jwks !== undefined;
  }

  /** True when the `Authorization` header grants admin access. Never throws. */
  async authorize(header: string | string[] | undefined): Promise<boolean> {
    if (!this.configured) {
      this.#warnUnconfigured();
      return false;
    }
    const value = Array.isArray(header) ? header[0] : header;
    const match = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
    if (match === null) return false;
    const token = match[1]!;
    if (this.#matchesStatic(token)) return true;
    if (token.split('.').length === 3) return this.#verifyJwt(token);
    return false;
  }

  #matchesStatic(token: string): boolean {
    const candidate = digest(token);
    let found = false;
    // Compare with every token, never stopping early, so timing says nothing about which matched.
    for (const known of this.#digests) found = timingSafeEqual(candidate, known) || found;
    return found;
  }

  async #verifyJwt(token: string): Promise<boolean> {
    const claims = { issuer: this.#issuer, audience: this.#audience };
    try {
      if (this.#secret !== undefined) {
        await jwtVerify(token, this.#secret, { ...claims, algorithms: ['HS256'] });
        return true;
      }
    } catch {
      // fall through to the JWKS, if any
    }
    if (this.#jwks === undefined) return false;
    try {
      await jwtVerify(token, this.#jwks, { ...claims, algorithms: ASYMMETRIC });
      return true;
    } catch {
      return false;
    }
  }

  #warnUnconfigured(): void {
    if (this.#warned) return;
    this.#warned = true;
    (this.#logger ?? getLogger()).warning(
      'admin routes refused: no admin credential configured (set VIGIL_ADMIN_TOKEN, VIGIL_ADMIN_JWT_SECRET or VIGIL_ADMIN_JWKS_URL)',
    );
  }
}

function splitTokens(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((token) => token.trim());
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new VigilError('VIGIL_BAD_OPTION', `VIGIL_ADMIN_JWKS_URL is not a URL: "${text}"`);
  }
}
