import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { controlsFileSchema, frameworkSchema, type Control, type Framework } from '../../../shared/compliance-data.js';
import { CustosError } from '../errors.js';
import { resourcePath } from '../paths.js';
import { parseStrictJson } from '../strict-json.js';
import { pathText } from '../unicode.js';

// The frameworks and controls are data shipped with Custos (resources/frameworks/), read the way
// policies are: from the resources folder found beside the source or the built dist/. A broken file
// is a broken installation, so it fails loudly, naming the file and the field, rather than
// silently dropping a requirement that a workspace's assessments point at.

/** The file of resources/frameworks/ that holds the controls; every other .json file is one framework. */
export const CONTROLS_FILE = 'controls.json';

/** The folder of the framework files shipped with Custos. */
export function frameworksDir(): string {
  return resourcePath('frameworks');
}

const frameworkCache = new Map<string, readonly Framework[]>();
const controlCache = new Map<string, readonly Control[]>();

/** Every framework file of `dir`, parsed and validated, in file-name order (cached per folder, frozen). */
export function loadFrameworks(dir: string = frameworksDir()): readonly Framework[] {
  let frameworks = frameworkCache.get(dir);
  if (!frameworks) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.json') && n !== CONTROLS_FILE)
        .sort();
    } catch (err) {
      throw new CustosError('failure', `Custos cannot read the frameworks folder ${dir}: ${readProblem(err)}.`);
    }
    if (names.length === 0) throw new CustosError('failure', `The folder ${dir} holds no framework files.`);
    frameworks = names.map((name) => {
      const file = join(dir, name);
      const framework = parseFile(file, frameworkSchema, 'framework', (path, value) => itemName(value, path, 'requirements', 'requirementId', 'requirement'));
      const expected = name.slice(0, -'.json'.length);
      if (framework.id !== expected) {
        throw new CustosError('failure', `The framework file ${file} has the id ${framework.id}; a framework's id must equal its file name, ${expected}.`);
      }
      return framework;
    });
    frameworks = deepFreeze(frameworks);
    frameworkCache.set(dir, frameworks);
  }
  return frameworks;
}

/**
 * The controls of `dir`/controls.json, validated, with every mapping checked against the frameworks
 * of the same folder: a mapping to a framework or requirement that does not exist fails, naming the
 * control and the mapping (cached per folder).
 */
export function loadControls(dir: string = frameworksDir()): readonly Control[] {
  let controls = controlCache.get(dir);
  if (!controls) {
    const frameworks = loadFrameworks(dir);
    const file = join(dir, CONTROLS_FILE);
    const parsed = parseFile(file, controlsFileSchema, 'controls', (path, value) => itemName(value, path, 'controls', 'id', 'control'));
    const known = new Map(frameworks.map((f) => [f.id, new Set(f.requirements.map((r) => r.requirementId))]));
    parsed.controls.forEach((control, i) => {
      control.mappings.forEach((m, j) => {
        const where = `${pathText(['controls', i, 'mappings', j])} (control ${control.id})`;
        const requirements = known.get(m.framework);
        if (!requirements) {
          throw new CustosError('failure', `The controls file ${file} maps to a framework that does not exist at ${where}: ${m.framework}; the frameworks are ${[...known.keys()].join(', ')}.`);
        }
        if (!requirements.has(m.requirementId)) {
          throw new CustosError('failure', `The controls file ${file} maps to a requirement that framework ${m.framework} does not have at ${where}: ${m.requirementId}.`);
        }
      });
    });
    controls = deepFreeze(parsed.controls);
    controlCache.set(dir, controls);
  }
  return controls;
}

/** Reads, parses strictly (no duplicate keys) and validates one file, or throws naming the file and the first bad field. */
function parseFile<T>(file: string, schema: z.ZodType<T>, kind: string, describe: (path: readonly PropertyKey[], value: unknown) => string): T {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CustosError('failure', `Custos cannot read the ${kind} file ${file}: ${readProblem(err)}.`);
  }
  const json = parseStrictJson(bytes);
  if ('problem' in json) throw new CustosError('failure', `The ${kind} file ${file} ${json.problem}.`);
  const result = schema.safeParse(json.value);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const path = first!.path;
  const where = path.length > 0 ? pathText(path.map((p) => (typeof p === 'number' ? p : String(p)))) : 'its top level';
  const more = rest.length > 0 ? ` (${rest.length} more problem${rest.length === 1 ? '' : 's'} after this one)` : '';
  throw new CustosError('failure', `The ${kind} file ${file} is invalid at ${where}${describe(path, json.value)}: ${first!.message.replace(/\.$/, '')}${more}.`);
}

/** " (requirement Art. 30)" when the path runs through one item of `list` that carries a readable `key`. */
function itemName(value: unknown, path: readonly PropertyKey[], list: string, key: string, noun: string): string {
  if (path[0] !== list || typeof path[1] !== 'number' || typeof value !== 'object' || value === null) return '';
  const items = (value as Record<string, unknown>)[list];
  const item = Array.isArray(items) ? (items[path[1]] as unknown) : undefined;
  const name = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[key] : undefined;
  return typeof name === 'string' && name.length > 0 && name.length <= 60 ? ` (${noun} ${name})` : '';
}

/** Freezes a parsed file all the way down: the cached data is shared by every caller. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function readProblem(err: unknown): string {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String((err as Error).message).replace(/\.$/, '');
}
