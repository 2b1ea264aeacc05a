// Runs the compiled benchmarks: all of them, or the ones named (`npm run bench -- logging`).
// Each runs in its own node process with --expose-gc, so one benchmark's JIT state and heap
// never colour another's numbers.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Names come from the sources, so a stale file left in dist/ by a deleted benchmark never runs.
const known = readdirSync(join(here, 'src'))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const name of asked.length > 0 ? asked : known) {
  const script = join(here, 'dist', 'src', `${name}.js`);
  if (!existsSync(script)) {
    console.error(`${script} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const result = spawnSync(process.execPath, ['--expose-gc', script], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`benchmark ${name} failed (exit ${result.status ?? result.signal})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
