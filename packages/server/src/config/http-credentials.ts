import { readFileSync } from 'node:fs';
import { ServerError } from '../errors.js';
import type { HttpClientConfig } from './types.js';

/** TLS material of an HTTP client (tls_config), files read. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  serverName?: string;
  insecureSkipVerify?: boolean;
}

/**
 * The Authorization header of an HTTP client config (authorization, bearer_token[_file], basic_auth), credential
 * files read now. `owner` says whose config it is in an error (`scrape job api`, `remote_write mimir`).
 * Throws VIGIL_BAD_CONFIG naming a file that cannot be read.
 */
export function authorizationHeader(http: HttpClientConfig, owner: string): Record<string, string> {
  if (http.authorization) {
    const { type, credentials, credentialsFile } = http.authorization;
    const secret = credentialsFile ? readSecret(credentialsFile, owner, 'authorization.credentials_file') : credentials;
    return secret ? { authorization: `${type} ${secret}` } : {};
  }
  if (http.basicAuth) {
    const { username, password, passwordFile } = http.basicAuth;
    const secret = passwordFile ? readSecret(passwordFile, owner, 'basic_auth.password_file') : (password ?? '');
    return { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` };
  }
  return {};
}

/** The TLS material of an HTTP client config, or undefined when it sets nothing. Throws like authorizationHeader. */
export function tlsMaterial(http: HttpClientConfig, owner: string): TlsMaterial | undefined {
  const tls = http.tls;
  if (!tls.caFile && !tls.certFile && !tls.keyFile && !tls.serverName && !tls.insecureSkipVerify) return undefined;
  return {
    ...(tls.caFile ? { ca: readConfigFile(tls.caFile, owner, 'tls_config.ca_file') } : {}),
    ...(tls.certFile ? { cert: readConfigFile(tls.certFile, owner, 'tls_config.cert_file') } : {}),
    ...(tls.keyFile ? { key: readConfigFile(tls.keyFile, owner, 'tls_config.key_file') } : {}),
    ...(tls.serverName ? { serverName: tls.serverName } : {}),
    insecureSkipVerify: tls.insecureSkipVerify,
  };
}

function readSecret(path: string, owner: string, field: string): string {
  return readConfigFile(path, owner, field).toString('utf8').trim();
}

function readConfigFile(path: string, owner: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ServerError('VIGIL_BAD_CONFIG', `${owner}: ${field} ${path}: cannot read it: ${why}`, { cause: error });
  }
}

/** TLS material as node:https request (or Agent) options. */
export function httpsOptions(tls: TlsMaterial): {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  rejectUnauthorized: boolean;
} {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    rejectUnauthorized: tls.insecureSkipVerify !== true,
  };
}
