// Runs every compiled test file (*.test.js) of the workspace in one node:test run, so CI reads one summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = [];
for (const root of ['packages', 'examples']) {
  for (const name of readdirSync(root)) {
    const dir = join(root, name, 'dist', 'test');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir, { recursive: true })) {
      if (String(file).endsWith('.test.js')) files.push(join(dir, String(file)));
    }
  }
}
if (files.length === 0) {
  console.error('no compiled tests found under packages/*/dist/test or examples/*/dist/test: run `npm run build`');
  process.exit(1);
}
const args = ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...files.sort()];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
