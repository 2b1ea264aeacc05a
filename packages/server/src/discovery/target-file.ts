import { readLabels } from '../config/scrape-config.js';
import type { TargetGroup } from '../config/types.js';
import { YamlSource } from '../config/yaml-field.js';
import { ServerError } from '../errors.js';

/**
 * Reads a file_sd file: a JSON (`.json`) or YAML list of `{ targets: [...], labels: {...} }`. Each group gets
 * `__meta_filepath` (the file), for relabeling. Throws ServerError VIGIL_BAD_CONFIG naming the file and line.
 */
export function parseTargetFile(text: string, file: string): TargetGroup[] {
  if (/\.json$/i.test(file)) checkJson(text, file);
  const source = new YamlSource(text, file);
  const root = source.root();
  if (root.missing) return [];
  return root.list().map((item) => {
    const map = item.map(['targets', 'labels']);
    const targets = map.get('targets').list();
    const addresses = targets.map((field) => {
      const address = field.string();
      if (address === undefined || address === '') throw field.bad('a target address cannot be empty');
      return address;
    });
    const labels = readLabels(map.get('labels'));
    labels.__meta_filepath = file;
    return { targets: addresses, labels, origin: `${file} line ${item.line}` };
  });
}

// JSON is read as YAML for line numbers, but first held to JSON's own syntax (no comments, no trailing commas).
function checkJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position === null ? undefined : text.slice(0, Number(position[1])).split('\n').length;
    throw new ServerError(
      'VIGIL_BAD_CONFIG',
      `${file}${line === undefined ? '' : ` line ${line}`}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
    );
  }
}
