import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh directory under os.tmpdir(), removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
