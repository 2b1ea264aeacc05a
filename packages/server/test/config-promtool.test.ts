import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseConfig } from '../src/config/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/config/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../../vigil.example.yaml', import.meta.url));

function promtool(): string | undefined {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return undefined;
  }
}

const PROMTOOL = promtool();
const skip = PROMTOOL === undefined ? 'promtool is not installed (Debian/Ubuntu: apt-get install prometheus)' : false;

// Prometheus has no `vigil:` section: promtool reads the file without it.
function withoutVigilSection(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^vigil:/.test(l));
  if (start < 0) return text;
  let end = start + 1;
  while (end < lines.length && (/^\s/.test(lines[end]!) || lines[end] === '' || lines[end]!.startsWith('#'))) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

describe('the good configs are valid Prometheus configs too', () => {
  const files = [join(FIXTURES, 'debian-prometheus.yml'), join(FIXTURES, 'full.yml'), EXAMPLE];
  for (const file of files) {
    test(`promtool check config accepts ${file.split('/').slice(-2).join('/')}`, { skip }, async () => {
      const text = readFileSync(file, 'utf8');
      assert.ok(parseConfig(text, file, {}), 'Vigil reads it');
      const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
      try {
        writeFileSync(join(dir, 'prometheus.yml'), withoutVigilSection(text));
        const { stdout } = await promisify(execFile)(
          PROMTOOL!,
          ['check', 'config', '--syntax-only', 'prometheus.yml'],
          {
            cwd: dir,
          },
        );
        assert.match(stdout, /SUCCESS/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('promtool and Vigil both refuse a timeout longer than the interval', { skip }, async () => {
    const text =
      "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n    static_configs: [{ targets: ['a:1'] }]\n";
    assert.throws(() => parseConfig(text, 'vigil.yaml', {}), { code: 'VIGIL_BAD_CONFIG' });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
    try {
      writeFileSync(join(dir, 'prometheus.yml'), text);
      await assert.rejects(
        promisify(execFile)(PROMTOOL!, ['check', 'config', '--syntax-only', 'prometheus.yml'], { cwd: dir }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
