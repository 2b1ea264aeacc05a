// Finds and reads the files of `rule_files` (paths or globs with a `*` only in the last component).

import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ServerError } from '../errors.js';
import { type RuleGroupDefinition, readRuleFile } from './rule-file.js';

/** Every group of every file, or the problems of all files. */
export interface LoadedRules {
  groups: RuleGroupDefinition[];
  files: string[];
  problems: ServerError[];
}

/** The files a `rule_files` entry names: itself, or the glob's matches sorted (none is not an error, as in Prometheus). */
export async function expandRuleFiles(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const pattern of patterns) {
    const name = basename(pattern);
    if (!/[*?[]/.test(name)) {
      out.push(pattern);
      continue;
    }
    const regex = new RegExp(
      `^${name
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
    let entries: string[] = [];
    try {
      entries = await readdir(dirname(pattern));
    } catch {}
    for (const entry of entries.filter((e) => regex.test(e)).sort()) out.push(join(dirname(pattern), entry));
  }
  return [...new Set(out)];
}

/** Reads every rule file; a group name repeated across files is allowed (Prometheus keys groups by file). */
export async function loadRuleFiles(patterns: readonly string[], defaultIntervalMs: number): Promise<LoadedRules> {
  const files = await expandRuleFiles(patterns);
  const groups: RuleGroupDefinition[] = [];
  const problems: ServerError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      problems.push(new ServerError('VIGIL_BAD_RULES', `${file}: cannot read the rule file: ${why}`));
      continue;
    }
    const result = readRuleFile(text, file, defaultIntervalMs);
    groups.push(...result.groups);
    problems.push(...result.problems);
  }
  return { groups, files, problems };
}
