// `vigil rules check <file>...`: what `promtool check rules` checks, with the same exit codes.

import { readFile } from 'node:fs/promises';
import type { ServerError } from '../errors.js';
import { readRuleFile } from './rule-file.js';

/** Where `runRulesCheck` writes. */
export interface RulesCheckIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Checks each rule file (YAML, keys, expressions, durations, label and annotation names, templates,
 * duplicate groups) and prints `Checking <file>` then `  SUCCESS: N rules found` or every problem.
 * Resolves to 0 when every file is good, 1 otherwise (as promtool).
 */
export async function runRulesCheck(files: readonly string[], io: RulesCheckIo): Promise<number> {
  if (files.length === 0) {
    io.stderr('vigil: rules check needs at least one rule file [VIGIL_BAD_ARGUMENT]');
    return 1;
  }
  let failed = false;
  for (const file of files) {
    io.stdout(`Checking ${file}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      io.stderr(`  FAILED:\nvigil: ${file}: cannot read the rule file: ${why} [VIGIL_BAD_RULES]`);
      failed = true;
      continue;
    }
    const { groups, problems } = readRuleFile(text, file, 60_000);
    if (problems.length > 0) {
      failed = true;
      io.stderr(`  FAILED:\n${problems.map((p) => `vigil: ${p.message} [${(p as ServerError).code}]`).join('\n')}`);
      continue;
    }
    const count = groups.reduce((n, g) => n + g.rules.length, 0);
    io.stdout(`  SUCCESS: ${count} rules found`);
  }
  return failed ? 1 : 0;
}
