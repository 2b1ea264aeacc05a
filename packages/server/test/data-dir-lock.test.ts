import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { ServerError } from '../src/errors.js';
import { LOCK_FILE, lockDataDir } from '../src/service/data-dir-lock.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a data directory is created and locked; a second lock names the holder; release frees it', () => {
  dir = join(mkdtempSync(join(tmpdir(), 'vigil-lock-')), 'data');
  const lock = lockDataDir(dir, 'vigil serve');
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  assert.throws(
    () => lockDataDir(dir, 'vigil import'),
    (e: unknown) =>
      e instanceof ServerError &&
      e.code === 'VIGIL_DATA_DIR_LOCKED' &&
      e.message.includes(`in use by vigil serve (pid ${process.pid})`),
  );
  lock.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  lockDataDir(dir, 'vigil import').release();
});

test('a lock left by a process that has exited is taken over', () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, owner: 'vigil serve' }));
  const lock = lockDataDir(dir, 'vigil serve');
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  lock.release();
});

test('a data directory that cannot be created is a config error naming it', () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  writeFileSync(join(dir, 'file'), 'x');
  assert.throws(
    () => lockDataDir(join(dir, 'file', 'data'), 'vigil serve'),
    /data directory .*file\/data: cannot create it/,
  );
});
