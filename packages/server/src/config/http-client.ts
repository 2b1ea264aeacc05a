import { resolve } from 'node:path';
import type { HttpClientConfig, TlsConfig } from './types.js';
import type { FieldMap } from './yaml-field.js';

/** The HTTP client keys Vigil reads wherever prometheus.yml allows them (scrape, Alertmanager, remote write). */
export const HTTP_CLIENT_KEYS = [
  'authorization',
  'basic_auth',
  'bearer_token',
  'bearer_token_file',
  'tls_config',
  'follow_redirects',
  'enable_http2',
] as const;

/** Reads authentication and TLS; relative files resolve against `dir` (the config file's directory). */
export function readHttpClient(map: FieldMap, dir: string): HttpClientConfig {
  const config: HttpClientConfig = {
    tls: readTls(map, dir),
    followRedirects: map.get('follow_redirects').bool(true),
  };
  // HTTP/2 is a transport preference: accepted so copied configs load, and the scrape is the same either way.
  map.get('enable_http2').bool(true);

  const bearer = map.get('bearer_token');
  const bearerFile = map.get('bearer_token_file');
  if (!bearer.missing && !bearerFile.missing) throw bearerFile.bad('set either bearer_token or bearer_token_file');
  if (!bearer.missing || !bearerFile.missing) {
    if (map.has('authorization')) {
      throw map.get('authorization').bad('set at most one of bearer_token, bearer_token_file and authorization');
    }
    config.authorization = bearer.missing
      ? { type: 'Bearer', credentialsFile: resolve(dir, bearerFile.requiredString()) }
      : { type: 'Bearer', credentials: bearer.requiredString() };
  }

  if (map.has('authorization')) {
    const auth = map.get('authorization').map(['type', 'credentials', 'credentials_file']);
    const type = auth.get('type').string() || 'Bearer';
    if (type.toLowerCase() === 'basic') {
      throw auth.get('type').bad('authorization type Basic is not allowed: use basic_auth instead');
    }
    const credentials = auth.get('credentials');
    const file = auth.get('credentials_file');
    if (!credentials.missing && !file.missing) throw file.bad('set either credentials or credentials_file');
    config.authorization = { type };
    if (!credentials.missing) config.authorization.credentials = credentials.string()!;
    if (!file.missing) config.authorization.credentialsFile = resolve(dir, file.requiredString());
  }

  if (map.has('basic_auth')) {
    const field = map.get('basic_auth');
    if (config.authorization !== undefined) {
      throw field.bad('set at most one of basic_auth, authorization and bearer_token(_file)');
    }
    const basic = field.map(['username', 'password', 'password_file']);
    const password = basic.get('password');
    const file = basic.get('password_file');
    if (!password.missing && !file.missing) throw file.bad('set either password or password_file');
    config.basicAuth = { username: basic.get('username').requiredString() };
    if (!password.missing) config.basicAuth.password = password.string()!;
    if (!file.missing) config.basicAuth.passwordFile = resolve(dir, file.requiredString());
  }
  return config;
}

function readTls(map: FieldMap, dir: string): TlsConfig {
  const field = map.get('tls_config');
  const tls = field.map(['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify']);
  const out: TlsConfig = { insecureSkipVerify: tls.get('insecure_skip_verify').bool(false) };
  const file = (key: string) => {
    const value = tls.get(key).string();
    return value === undefined || value === '' ? undefined : resolve(dir, value);
  };
  const caFile = file('ca_file');
  const certFile = file('cert_file');
  const keyFile = file('key_file');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw (certFile === undefined ? tls.get('key_file') : tls.get('cert_file')).bad(
      'a client certificate needs both cert_file and key_file',
    );
  }
  if (caFile !== undefined) out.caFile = caFile;
  if (certFile !== undefined) out.certFile = certFile;
  if (keyFile !== undefined) out.keyFile = keyFile;
  const serverName = tls.get('server_name').string();
  if (serverName) out.serverName = serverName;
  return out;
}
