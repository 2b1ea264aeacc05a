import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Label } from '@vigil/tsdb';
import { parseConfig } from '../src/config/index.js';
import { type DiscoveryTimers, parseTargetFile, type TargetChange, TargetDiscovery } from '../src/discovery/index.js';

const record = (labels: Label[]) => Object.fromEntries(labels.map((l) => [l.name, l.value]));

/** Timers that only run when the test says so. */
class ManualTimers implements DiscoveryTimers {
  intervals = new Map<number, () => void>();
  private next = 0;
  setInterval(fn: () => void): unknown {
    this.intervals.set(++this.next, fn);
    return this.next;
  }
  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }
  setTimeout(fn: () => void): unknown {
    return this.setInterval(fn);
  }
  clearTimeout(handle: unknown): void {
    this.clearInterval(handle);
  }
  /** Runs every pending interval once (a poll of every file_sd config). */
  tick(): void {
    for (const fn of [...this.intervals.values()]) fn();
  }
}

function nextEvent<T>(subscribe: (listener: (value: T) => void) => () => void, withinMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no event within ${withinMs} ms`));
    }, withinMs);
    const off = subscribe((value) => {
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-file-sd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(refresh = '1m') {
  return parseConfig(
    `
scrape_configs:
  - job_name: files
    file_sd_configs:
      - files: ['sd/*.json', 'sd/*.yml']
        refresh_interval: ${refresh}
    relabel_configs:
      - source_labels: [__meta_filepath]
        regex: '.*/([^/]+)'
        target_label: from
`,
    join(dir, 'vigil.yaml'),
    {},
  );
}

const write = (name: string, text: string) => writeFileSync(join(dir, 'sd', name), text);

describe('file_sd_configs', () => {
  test('JSON and YAML target files, with __meta_filepath for relabeling only', async () => {
    mkdirSd();
    write('a.json', JSON.stringify([{ targets: ['a:1', 'b:2'], labels: { env: 'prod' } }]));
    write('b.yml', '- targets: [c:3]\n');
    write('ignored.txt', 'not a target file');
    const discovery = new TargetDiscovery(config(), { watch: false, timers: new ManualTimers() });
    const changes: TargetChange[] = [];
    discovery.on('change', (c) => changes.push(c));
    await discovery.start();
    discovery.stop();
    assert.deepEqual(
      changes.map((c) => [c.job, c.added.length]),
      [['files', 3]],
      'start() reports the job once, with every target',
    );
    assert.deepEqual(
      discovery.targets().map((t) => record(t.labels)),
      [
        { env: 'prod', from: 'a.json', instance: 'a:1', job: 'files' },
        { env: 'prod', from: 'a.json', instance: 'b:2', job: 'files' },
        { from: 'b.yml', instance: 'c:3', job: 'files' },
      ],
    );
    assert.equal(record(discovery.targets()[0]!.discoveredLabels).__meta_filepath, join(dir, 'sd', 'a.json'));
  });

  test('a bad file keeps its last good targets and reports the error with file and line, once', async () => {
    mkdirSd();
    write('a.json', JSON.stringify([{ targets: ['a:1'] }]));
    write('b.yml', '- targets: [b:2]\n');
    const timers = new ManualTimers();
    const discovery = new TargetDiscovery(config(), { watch: false, timers });
    const changes: TargetChange[] = [];
    const errors: Error[] = [];
    discovery.on('change', (c) => changes.push(c));
    discovery.on('error', (e) => errors.push(e));
    await discovery.start();
    const urls = () => discovery.targets().map((t) => t.url);
    assert.deepEqual(urls(), ['http://a:1/metrics', 'http://b:2/metrics']);

    write('a.json', '[{"targets": ["a:1"],}]');
    write('b.yml', '- targets: [b:2]\n  labels:\n    bad-name: x\n');
    await discovery.refresh();
    assert.deepEqual(urls(), ['http://a:1/metrics', 'http://b:2/metrics'], 'accepted targets stay');
    const expected = [
      `${join(dir, 'sd', 'a.json')} line 1: invalid JSON: Expected double-quoted property name`,
      `${join(dir, 'sd', 'b.yml')} line 3: [0].labels.bad-name: "bad-name" is not a valid label name`,
    ];
    assert.deepEqual(
      errors.map((e) => e.message),
      expected,
    );
    assert.deepEqual(
      discovery.errors().map((e) => e.message),
      expected,
    );
    await discovery.refresh();
    assert.equal(errors.length, 2, 'a file that stays broken is not reported again at every poll');

    write('a.json', JSON.stringify([{ targets: ['a:1', 'a:9'] }]));
    await discovery.refresh();
    assert.deepEqual(urls(), ['http://a:1/metrics', 'http://a:9/metrics', 'http://b:2/metrics']);
    assert.deepEqual(
      discovery.errors().map((e) => e.message),
      [expected[1]],
    );
    const last = changes.at(-1)!;
    assert.deepEqual(
      [last.job, last.added.map((t) => t.url), last.removed.length],
      ['files', ['http://a:9/metrics'], 0],
    );

    unlinkSync(join(dir, 'sd', 'b.yml'));
    await discovery.refresh();
    assert.deepEqual(urls(), ['http://a:1/metrics', 'http://a:9/metrics'], 'a deleted file takes its targets along');
    assert.deepEqual(discovery.errors(), []);
    discovery.stop();
  });

  test('refresh_interval polls pick up a change without any file event', async () => {
    mkdirSd();
    write('a.json', JSON.stringify([{ targets: ['a:1'] }]));
    const timers = new ManualTimers();
    const discovery = new TargetDiscovery(config('30s'), { watch: false, timers });
    await discovery.start();
    write('a.json', JSON.stringify([{ targets: ['a:2'] }]));
    const change = nextEvent<TargetChange>((l) => discovery.on('change', l), 5000);
    timers.tick();
    const c = await change;
    assert.deepEqual(
      [c.added.map((t) => t.url), c.removed.map((t) => t.url)],
      [['http://a:2/metrics'], ['http://a:1/metrics']],
    );
    discovery.stop();
    assert.equal(timers.intervals.size, 0, 'stop() clears the poll');
  });

  test('fs.watch notices a new file in the watched directory', async () => {
    mkdirSd();
    const discovery = new TargetDiscovery(config(), { watch: true });
    await discovery.start();
    assert.deepEqual(discovery.targets(), []);
    const change = nextEvent<TargetChange>((l) => discovery.on('change', l), 5000);
    write('new.yml', '- targets: [fresh:1]\n');
    const c = await change;
    assert.deepEqual(
      c.targets.map((t) => t.url),
      ['http://fresh:1/metrics'],
    );
    // An editor's atomic save: write a temporary file, rename it over the old one.
    const replaced = nextEvent<TargetChange>((l) => discovery.on('change', l), 5000);
    writeFileSync(join(dir, 'new.yml.tmp'), '- targets: [fresher:2]\n');
    renameSync(join(dir, 'new.yml.tmp'), join(dir, 'sd', 'new.yml'));
    assert.deepEqual(
      (await replaced).targets.map((t) => t.url),
      ['http://fresher:2/metrics'],
    );
    discovery.stop();
  });

  test('a directory that does not exist yet is picked up by the poll once it does', async () => {
    const timers = new ManualTimers();
    const discovery = new TargetDiscovery(config(), { watch: true, timers });
    await discovery.start();
    assert.deepEqual(discovery.targets(), []);
    assert.deepEqual(discovery.errors(), []);
    mkdirSd();
    write('late.json', JSON.stringify([{ targets: ['late:1'] }]));
    const change = nextEvent<TargetChange>((l) => discovery.on('change', l), 5000);
    timers.tick();
    assert.deepEqual(
      (await change).targets.map((t) => t.url),
      ['http://late:1/metrics'],
    );
    discovery.stop();
  });
});

describe('file_sd_configs across a reload', () => {
  test('an unchanged job keeps reading its files; a removed job stops polling them', async () => {
    mkdirSd();
    write('a.json', JSON.stringify([{ targets: ['a:1'] }]));
    const timers = new ManualTimers();
    const first = config();
    const discovery = new TargetDiscovery(first, { watch: false, timers });
    await discovery.start();
    await discovery.reload(config());
    assert.equal(timers.intervals.size, 1, 'the same poll, not a second one');
    write('a.json', JSON.stringify([{ targets: ['a:2'] }]));
    const change = nextEvent<TargetChange>((l) => discovery.on('change', l), 5000);
    timers.tick();
    assert.deepEqual(
      (await change).targets.map((t) => t.url),
      ['http://a:2/metrics'],
    );
    await discovery.reload(parseConfig('', join(dir, 'vigil.yaml'), {}));
    assert.equal(timers.intervals.size, 0);
    assert.deepEqual(discovery.targets(), []);
    discovery.stop();
  });
});

describe('parseTargetFile', () => {
  test('an empty YAML file has no groups; a non-list is refused with its line', () => {
    assert.deepEqual(parseTargetFile('', 't.yml'), []);
    assert.throws(() => parseTargetFile('targets: [a:1]\n', 't.yml'), {
      code: 'VIGIL_BAD_CONFIG',
      message: 't.yml line 1: (top level): expected a list, got a map',
    });
    assert.throws(() => parseTargetFile('- targets: [a:1]\n  lables: {}\n', 't.yml'), {
      code: 'VIGIL_CONFIG_UNSUPPORTED',
      message: 't.yml line 2: [0].lables is not supported by Vigil (keys Vigil reads here: targets, labels)',
    });
  });
});

function mkdirSd() {
  mkdirSync(join(dir, 'sd'), { recursive: true });
}
