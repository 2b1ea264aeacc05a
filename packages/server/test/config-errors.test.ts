import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../src/config/index.js';

type Env = Record<string, string>;

function fails(yaml: string[], code: string, message: string, env: Env = {}): void {
  assert.throws(
    () => parseConfig(yaml.join('\n'), 'vigil.yaml', env),
    (err: Error & { code?: string }) => {
      assert.equal(err.message, message);
      assert.equal(err.code, code);
      return true;
    },
  );
}

const JOB = ['scrape_configs:', '  - job_name: node', "    static_configs: [{ targets: ['localhost:9100'] }]"];

describe('an option Vigil does not read is named with its path and line, never ignored', () => {
  test('a service discovery other than static and file', () => {
    fails(
      [...JOB, '    kubernetes_sd_configs:', '      - role: pod'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 4: scrape_configs[0].kubernetes_sd_configs is not supported by Vigil (Vigil discovers targets with static_configs and file_sd_configs only)',
    );
  });

  test('a Prometheus scrape option Vigil does not implement', () => {
    assert.throws(() => parseConfig([...JOB, '    scrape_classic_histograms: true'].join('\n'), 'vigil.yaml', {}), {
      code: 'VIGIL_CONFIG_UNSUPPORTED',
      message:
        /^vigil\.yaml line 4: scrape_configs\[0\]\.scrape_classic_histograms is not supported by Vigil \(keys Vigil reads here: job_name, scrape_interval, .*\)$/,
    });
  });

  test('an unknown key anywhere: top level, global, a relabel rule, the vigil section', () => {
    fails(
      ['storage:', '  tsdb: {}'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 1: storage is not supported by Vigil (set retention under vigil.retention instead)',
    );
    fails(
      ['global:', '  scrape_interval: 15s', '  query_log_file: q.log'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 3: global.query_log_file is not supported by Vigil (keys Vigil reads here: scrape_interval, scrape_timeout, evaluation_interval, external_labels, sample_limit, label_limit, label_name_length_limit, label_value_length_limit, body_size_limit)',
    );
    fails(
      [...JOB, '    relabel_configs:', '      - action: keep', '        regexp: x'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 6: scrape_configs[0].relabel_configs[0].regexp is not supported by Vigil (keys Vigil reads here: action, source_labels, separator, regex, modulus, target_label, replacement)',
    );
    fails(
      ['vigil:', '  prot: 8015'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 2: vigil.prot is not supported by Vigil (keys Vigil reads here: port, listen_address, data_dir, admin_tokens, retention, flush_interval, notifications, postgres_url, upstream_prometheus)',
    );
  });

  test('an HTTP client option Vigil does not implement (oauth2)', () => {
    fails(
      [...JOB, '    oauth2:', '      client_id: x'],
      'VIGIL_CONFIG_UNSUPPORTED',
      'vigil.yaml line 4: scrape_configs[0].oauth2 is not supported by Vigil (keys Vigil reads here: job_name, scrape_interval, scrape_timeout, metrics_path, scheme, params, honor_labels, honor_timestamps, sample_limit, label_limit, label_name_length_limit, label_value_length_limit, body_size_limit, enable_compression, static_configs, file_sd_configs, relabel_configs, metric_relabel_configs, authorization, basic_auth, bearer_token, bearer_token_file, tls_config, follow_redirects, enable_http2)',
    );
  });
});

describe('an invalid value names the file, line and field', () => {
  test('a bad duration', () => {
    fails(
      [...JOB, '    scrape_interval: soon'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[0].scrape_interval: expected a duration such as 30s, 1m30s, 500ms or 1d (units y, w, d, h, m, s, ms), got "soon"',
    );
    fails(
      ['global:', '  scrape_interval: 30'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 2: global.scrape_interval: expected a duration such as 30s, 1m30s, 500ms or 1d (units y, w, d, h, m, s, ms), got "30" (a duration needs a unit: 30s)',
    );
    fails(
      [...JOB, '  - job_name: b', '    scrape_interval: 1m', '    scrape_timeout: 30s30m'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 6: scrape_configs[1].scrape_timeout: expected a duration such as 30s, 1m30s, 500ms or 1d (units y, w, d, h, m, s, ms), got "30s30m"',
    );
  });

  test('a timeout longer than the interval', () => {
    fails(
      [...JOB, '    scrape_interval: 5s', '    scrape_timeout: 10s'],
      'VIGIL_BAD_CONFIG',
      "vigil.yaml line 5: scrape_configs[0].scrape_timeout: scrape_timeout (10s) is greater than the job's scrape_interval",
    );
    fails(
      ['global:', '  scrape_interval: 5s', '  scrape_timeout: 6s'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 3: global.scrape_timeout: the global scrape_timeout (6s) is greater than scrape_interval (5s)',
    );
  });

  test('a bad regex, in RE2 terms', () => {
    fails(
      [...JOB, '    relabel_configs:', '      - source_labels: [job]', '        regex: "(a"'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 6: scrape_configs[0].relabel_configs[0].regex: invalid regex: invalid regex "(a": Invalid regular expression: /^(?:(a)$/su: Unterminated group',
    );
    fails(
      [
        ...JOB,
        '    metric_relabel_configs:',
        '      - source_labels: [__name__]',
        '        regex: "(a)\\\\1"',
        '        action: drop',
      ],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 6: scrape_configs[0].metric_relabel_configs[0].regex: invalid regex: regex "(a)\\1" at offset 3: backreference \\1 is not RE2 syntax (Prometheus uses RE2)',
    );
  });

  test('relabel rules validated as Prometheus validates them', () => {
    const rule = (lines: string[]) => [...JOB, '    relabel_configs:', ...lines];
    fails(
      rule(['      - source_labels: [a]', '        action: replace', '        target_label: ""']),
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 7: scrape_configs[0].relabel_configs[0].target_label: the replace action requires target_label',
    );
    fails(
      rule(['      - action: labeldrop', '        regex: tmp_.*', '        source_labels: [a]']),
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 7: scrape_configs[0].relabel_configs[0].source_labels: the labeldrop action takes only regex',
    );
    fails(
      rule(['      - action: hashmod', '        source_labels: [a]', '        target_label: shard']),
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 5: scrape_configs[0].relabel_configs[0]: the hashmod action requires a modulus greater than 0',
    );
    fails(
      rule(['      - action: explode']),
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 5: scrape_configs[0].relabel_configs[0].action: unknown relabel action "explode" (expected one of replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase)',
    );
    fails(
      rule(['      - action: lowercase', '        source_labels: [a]', '        target_label: "bad-name"']),
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 7: scrape_configs[0].relabel_configs[0].target_label: "bad-name" is not a valid target_label for lowercase',
    );
  });

  test('a missing job_name, a duplicate job', () => {
    fails(
      ['scrape_configs:', '  - static_configs: [{ targets: [a:1] }]'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 2: scrape_configs[0].job_name: is required and must not be empty',
    );
    fails(
      [...JOB, '  - job_name: node', '    static_configs: []'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[1].job_name: duplicate job_name "node" (first at line 2)',
    );
  });

  test('a URL where a target address belongs, a bad scheme, a bad label name, a bad file_sd path', () => {
    fails(
      ['scrape_configs:', '  - job_name: web', '    static_configs:', "      - targets: ['http://web:80/metrics']"],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[0].static_configs[0].targets[0]: "http://web:80/metrics" is not a valid target address: write host:port (the scheme and path go in scheme and metrics_path)',
    );
    fails(
      [...JOB, '    scheme: ftp'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[0].scheme: expected http or https, got "ftp"',
    );
    fails(
      [
        'scrape_configs:',
        '  - job_name: a',
        '    static_configs:',
        '      - targets: [a:1]',
        '        labels:',
        '          team-name: x',
      ],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 6: scrape_configs[0].static_configs[0].labels.team-name: "team-name" is not a valid label name',
    );
    fails(
      [...JOB, '    file_sd_configs:', '      - files: [targets/*/hosts.json]'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 5: scrape_configs[0].file_sd_configs[0].files[0]: "targets/*/hosts.json" must end in .json, .yml or .yaml, with a * glob only in the last path component',
    );
  });

  test('bad auth combinations and sizes', () => {
    fails(
      [...JOB, '    bearer_token: a', '    bearer_token_file: b'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 5: scrape_configs[0].bearer_token_file: set either bearer_token or bearer_token_file',
    );
    fails(
      [...JOB, '    bearer_token: a', '    basic_auth: { username: u, password: p }'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 5: scrape_configs[0].basic_auth: set at most one of basic_auth, authorization and bearer_token(_file)',
    );
    fails(
      [...JOB, '    body_size_limit: 10 MB'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[0].body_size_limit: expected a size such as 512MB or 1GB (units B, KB, MB, GB, TB, PB, EB), got "10 MB"',
    );
    fails(
      ['vigil:', '  retention:', '    size: lots'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 3: vigil.retention.size: expected a size such as 512MB or 1GB (units B, KB, MB, GB, TB, PB, EB), got "lots"',
    );
  });

  test('wrong shapes: a map where a list belongs, a non-boolean', () => {
    fails(
      ['scrape_configs:', '  job_name: node'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 2: scrape_configs: expected a list, got a map',
    );
    fails(
      [...JOB, '    honor_labels: maybe'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 4: scrape_configs[0].honor_labels: expected true or false, got "maybe"',
    );
  });

  test('YAML syntax errors and duplicate keys carry their line', () => {
    fails(
      ['global:', '  scrape_interval: 15s', '  scrape_interval: 30s'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 3: Map keys must be unique',
    );
    fails(
      ['scrape_configs:', '  - job_name: "node', ''],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 3: Missing closing "quote',
    );
  });
});

describe('a bad environment variable is named with its value', () => {
  test('SCRAPE_INTERVAL_SECONDS, VIGIL_PORT, SCRAPE_TARGETS, VIGIL_ADMIN_TOKEN', () => {
    fails(
      [],
      'VIGIL_BAD_CONFIG',
      'SCRAPE_INTERVAL_SECONDS: expected a positive number of seconds such as 30, got "abc"',
      {
        SCRAPE_INTERVAL_SECONDS: 'abc',
      },
    );
    fails(
      [],
      'VIGIL_BAD_CONFIG',
      'SCRAPE_INTERVAL_SECONDS: expected a positive number of seconds such as 30, got "0"',
      {
        SCRAPE_INTERVAL_SECONDS: '0',
      },
    );
    fails([], 'VIGIL_BAD_CONFIG', 'VIGIL_PORT: expected a port from 0 to 65535, got "80800"', { VIGIL_PORT: '80800' });
    fails(
      [],
      'VIGIL_BAD_CONFIG',
      'SCRAPE_TARGETS: each target must be host:port or host:port/path (e.g. localhost:8000/metrics), got "localhost"',
      { SCRAPE_TARGETS: 'localhost:8000,localhost' },
    );
    fails(
      [],
      'VIGIL_BAD_CONFIG',
      'SCRAPE_TARGETS: each target must be host:port or host:port/path (e.g. localhost:8000/metrics), got "https://<redacted>@host:1"',
      { SCRAPE_TARGETS: 'https://user:s3cret@host:1' },
    );
    fails(
      ['remote_write:', '  - url: ftp://user:s3cret@host/x'],
      'VIGIL_BAD_CONFIG',
      'vigil.yaml line 2: remote_write[0].url: expected an http(s) URL, got "ftp://<redacted>@host/x"',
    );
    fails([], 'VIGIL_BAD_CONFIG', 'VIGIL_ADMIN_TOKEN: token #2 is empty or contains whitespace', {
      VIGIL_ADMIN_TOKEN: 'a,,b',
    });
  });

  test('SCRAPE_TARGETS cannot silently replace a file job of the same name', () => {
    fails(
      ['scrape_configs:', '  - job_name: vigil-targets', '    static_configs: []'],
      'VIGIL_BAD_CONFIG',
      'SCRAPE_TARGETS: becomes the job "vigil-targets", which vigil.yaml line 2 already defines; rename that job or unset SCRAPE_TARGETS',
      { SCRAPE_TARGETS: 'localhost:8000' },
    );
  });
});

test('a record retention of 0 is refused with its line', () => {
  assert.throws(
    () => parseConfig('vigil:\n  retention:\n    logs: 0s\n', 'vigil.yaml', {}),
    /vigil\.yaml line 3: vigil\.retention\.logs: must be greater than 0/,
  );
});
