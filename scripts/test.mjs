// Runs every compiled test of the workspace in one node:test run, so CI reads one summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'examples'];
const dirs = [];
for (const root of roots) {
  for (const name of readdirSync(root)) {
    const dir = join(root, name, 'dist', 'test');
    if (existsSync(dir)) dirs.push(dir);
  }
}
if (dirs.length === 0) {
  console.error('no compiled tests found: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...dirs], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
