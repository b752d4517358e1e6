import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowTemplateSchema, type WorkflowTemplate } from '../../../shared/workflow-data.js';
import { loadFrameworks } from '../compliance/framework-data.js';
import { CustosError } from '../errors.js';
import { resourcePath } from '../paths.js';
import { parseStrictJson } from '../strict-json.js';
import { pathText } from '../unicode.js';

// The workflow templates are data shipped with Custos (resources/workflows/), read like the
// frameworks: a broken file is a broken installation and fails loudly, naming the file and the
// field, rather than silently dropping a template that a workspace's instances point at.

/** The folder of the workflow templates shipped with Custos. */
export function templatesDir(): string {
  return resourcePath('workflows');
}

const cache = new Map<string, readonly WorkflowTemplate[]>();

/**
 * Every template of `dir`, parsed, validated, with each linked requirement checked against the
 * shipped frameworks, in file-name order (cached per folder, frozen).
 */
export function loadTemplates(dir: string = templatesDir()): readonly WorkflowTemplate[] {
  let templates = cache.get(dir);
  if (!templates) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch (err) {
      throw new CustosError('failure', `Custos cannot read the workflows folder ${dir}: ${(err as Error).message.replace(/\.$/, '')}.`);
    }
    if (names.length === 0) throw new CustosError('failure', `The folder ${dir} holds no workflow templates.`);
    const frameworks = new Map(loadFrameworks().map((f) => [f.id, new Set(f.requirements.map((r) => r.requirementId))]));
    templates = names.map((name) => {
      const file = join(dir, name);
      const t = parseTemplate(file);
      const expected = name.slice(0, -'.json'.length);
      if (t.id !== expected) throw new CustosError('failure', `The workflow template ${file} has the id ${t.id}; a template's id must equal its file name, ${expected}.`);
      t.steps.forEach((s, i) =>
        (s.requirements ?? []).forEach((r, j) => {
          if (!frameworks.get(r.framework)?.has(r.requirementId)) {
            throw new CustosError('failure', `The workflow template ${file} links a requirement no shipped framework has at ${pathText(['steps', i, 'requirements', j])}: ${r.framework} ${r.requirementId}.`);
          }
        }),
      );
      return t;
    });
    templates = Object.freeze(templates);
    cache.set(dir, templates);
  }
  return templates;
}

function parseTemplate(file: string): WorkflowTemplate {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CustosError('failure', `Custos cannot read the workflow template ${file}: ${(err as Error).message.replace(/\.$/, '')}.`);
  }
  const json = parseStrictJson(bytes);
  if ('problem' in json) throw new CustosError('failure', `The workflow template ${file} ${json.problem}.`);
  const result = workflowTemplateSchema.safeParse(json.value);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const where = first.path.length > 0 ? pathText(first.path.map((p) => (typeof p === 'number' ? p : String(p)))) : 'its top level';
  throw new CustosError('failure', `The workflow template ${file} is invalid at ${where}: ${first.message.replace(/\.$/, '')}.`);
}

/** The template, or not_found naming the ones there are. */
export function templateOf(id: string): WorkflowTemplate {
  const t = loadTemplates().find((x) => x.id === id);
  if (!t) throw new CustosError('not_found', `Custos ships no workflow template ${id}; choose one of: ${loadTemplates().map((x) => x.id).join(', ')}.`);
  return t;
}
