/**
 * The compliance frameworks and controls shipped in resources/frameworks/ (issue 11): every file
 * parses with the schemas of shared/compliance-data.ts, ids line up, every control mapping names a
 * requirement that exists, and the loader refuses a broken file with the file and the field named.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLS_FILE, frameworksDir, loadControls, loadFrameworks } from '../../electron/core/compliance/framework-data.js';
import { isCustosError } from '../../electron/core/errors.js';
import { controlsFileSchema, frameworkSchema, isCalendarDate, type Framework } from '../../shared/compliance-data.js';

const DIR = frameworksDir();
const frameworkFiles = readdirSync(DIR).filter((n) => n.endsWith('.json') && n !== CONTROLS_FILE).sort();
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const frameworks = loadFrameworks();
const controls = loadControls();

describe('the framework files', () => {
  it('are the seven frameworks of issue 11', () => {
    expect(frameworks.map((f) => f.id)).toEqual(['ccpa-cpra', 'ferpa', 'gdpr', 'hipaa', 'iso27001-2022', 'pci-dss-4', 'sox-itgc']);
  });

  it.each(frameworkFiles)('%s parses with the framework schema, its id is its file name', (name) => {
    const parsed = frameworkSchema.parse(readJson(name));
    expect(`${parsed.id}.json`).toBe(name);
  });

  it.each(frameworks.map((f) => [f.id, f.requirements.length, f] as const))('%s has %i requirements, at least 10, each id once', (_id, count, f) => {
    expect(count).toBeGreaterThanOrEqual(10);
    const ids = f.requirements.map((r) => r.requirementId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('have unique ids, real dates and a review date after the effective date', () => {
    expect(new Set(frameworks.map((f) => f.id)).size).toBe(frameworks.length);
    for (const f of frameworks) {
      expect(isCalendarDate(f.effectiveDate), f.id).toBe(true);
      expect(isCalendarDate(f.reviewDate), f.id).toBe(true);
      expect(f.reviewDate > f.effectiveDate, f.id).toBe(true);
    }
  });

  it('cite requirements the way each regulation does', () => {
    const citation: Record<string, RegExp> = {
      gdpr: /^Art\. \d+(\(\d+\))?(\([a-z]\))?$/,
      hipaa: /^§164\.\d{3}(\([a-zA-Z0-9]+\))*$/,
      ferpa: /^§99\.\d+(\([a-z0-9]+\))*$/,
      'ccpa-cpra': /^(§1798\.\d+(\([a-z0-9]+\))*|11 CCR §7\d{3})$/,
      'iso27001-2022': /^A\.[5-8]\.\d{1,2}$/,
      'pci-dss-4': /^\d{1,2}(\.\d+){2,3}$/,
      'sox-itgc': /^ITGC-(AC|PC|CO|PD)-\d{2}$/,
    };
    for (const f of frameworks) {
      const pattern = citation[f.id];
      expect(pattern, `no citation pattern for ${f.id}`).toBeDefined();
      for (const r of f.requirements) expect(r.requirementId, f.id).toMatch(pattern!);
    }
  });

  it('include the requirements the controls and issue 11 rely on', () => {
    const has = (id: string, req: string) => frameworks.find((f) => f.id === id)?.requirements.some((r) => r.requirementId === req);
    for (const req of ['§164.312(b)', '§164.528', '§164.316(b)(2)(i)']) expect(has('hipaa', req), req).toBe(true);
    for (const req of ['§99.7', '§99.10', '§99.20', '§99.31(a)(9)', '§99.32', '§99.37']) expect(has('ferpa', req), req).toBe(true);
    for (const req of ['10.2.1', '10.3.3', '10.4.1', '10.5.1', '10.7.2', '12.10.1']) expect(has('pci-dss-4', req), req).toBe(true);
    for (const req of ['Art. 5(1)(e)', 'Art. 30', 'Art. 33']) expect(has('gdpr', req), req).toBe(true);
    expect(has('iso27001-2022', 'A.8.15')).toBe(true);
    expect(has('ccpa-cpra', '11 CCR §7101')).toBe(true);
  });
});

describe('the controls file', () => {
  it('parses with the controls schema and holds 15 to 30 controls', () => {
    const parsed = controlsFileSchema.parse(readJson(CONTROLS_FILE));
    expect(parsed.controls.length).toBeGreaterThanOrEqual(15);
    expect(parsed.controls.length).toBeLessThanOrEqual(30);
  });

  it('maps every control to requirements that exist in at least two frameworks', () => {
    const byId = new Map(frameworks.map((f) => [f.id, new Set(f.requirements.map((r) => r.requirementId))]));
    for (const c of controls) {
      for (const m of c.mappings) expect(byId.get(m.framework)?.has(m.requirementId), `${c.id} → ${m.framework} ${m.requirementId}`).toBe(true);
      expect(new Set(c.mappings.map((m) => m.framework)).size, c.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('reaches every framework', () => {
    const reached = new Set(controls.flatMap((c) => c.mappings.map((m) => m.framework)));
    expect([...reached].sort()).toEqual(frameworks.map((f) => f.id));
  });
});

describe('the loader', () => {
  const temps: string[] = [];
  afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A folder holding copies of the shipped files, with `change` applied to one of them as text. */
  function folderWith(name: string, change: (text: string) => string, drop: string[] = []): string {
    const dir = mkdtempSync(join(tmpdir(), 'custos-frameworks-'));
    temps.push(dir);
    for (const n of readdirSync(DIR)) {
      if (drop.includes(n)) continue;
      const text = readFileSync(join(DIR, n), 'utf8');
      writeFileSync(join(dir, n), n === name ? change(text) : text);
    }
    return dir;
  }
  /** The same, with `change` applied to the parsed JSON. */
  const folderWithJson = (name: string, change: (value: Record<string, unknown>) => void): string =>
    folderWith(name, (text) => {
      const value = JSON.parse(text) as Record<string, unknown>;
      change(value);
      return JSON.stringify(value);
    });
  const requirementsOf = (v: Record<string, unknown>) => v.requirements as Record<string, unknown>[];

  function failure(load: () => unknown): string {
    try {
      load();
    } catch (err) {
      expect(isCustosError(err, 'failure'), String(err)).toBe(true);
      return (err as Error).message;
    }
    throw new Error('The loader accepted a broken file.');
  }

  it('returns the same frameworks and controls from a copy of the folder, frozen', () => {
    const dir = folderWith('gdpr.json', (t) => t);
    expect(loadFrameworks(dir)).toEqual(frameworks);
    expect(loadControls(dir)).toEqual(controls);
    expect(loadFrameworks(dir)).toBe(loadFrameworks(dir));
    expect(Object.isFrozen(frameworks[0]!.requirements[0])).toBe(true);
    expect(Object.isFrozen(controls[0]!.mappings)).toBe(true);
  });

  it('names the file, the field and the requirement of a bad value', () => {
    const dir = folderWithJson('hipaa.json', (v) => {
      requirementsOf(v)[3]!.priority = 'urgent';
    });
    const message = failure(() => loadFrameworks(dir));
    expect(message).toContain(join(dir, 'hipaa.json'));
    expect(message).toMatch(/is invalid at requirements\.3\.priority \(requirement §164\.308\(a\)\(2\)\): /);
  });

  it('refuses an unknown key but not $comment or $source', () => {
    const withNotes = folderWithJson('ferpa.json', (v) => {
      requirementsOf(v)[0]!.$comment = 'A note.';
      requirementsOf(v)[0]!.$source = '34 CFR 99.7.';
    });
    expect(loadFrameworks(withNotes).find((f) => f.id === 'ferpa')?.requirements[0]?.$comment).toBe('A note.');
    const withStatus = folderWithJson('ferpa.json', (v) => {
      requirementsOf(v)[0]!.status = 'COMPLIANT';
    });
    expect(failure(() => loadFrameworks(withStatus))).toMatch(/ferpa\.json is invalid at requirements\.0 \(requirement §99\.7\): .*status/);
  });

  it('refuses a repeated requirement id, an impossible date and a review before the effective date', () => {
    const repeated = folderWithJson('gdpr.json', (v) => {
      requirementsOf(v)[4]!.requirementId = requirementsOf(v)[2]!.requirementId;
    });
    expect(failure(() => loadFrameworks(repeated))).toMatch(/gdpr\.json is invalid at requirements\.4 .*The requirement Art\. 5\(1\)\(c\) appears twice\.$/);
    const impossible = folderWithJson('sox-itgc.json', (v) => {
      v.effectiveDate = '2023-02-29';
    });
    expect(failure(() => loadFrameworks(impossible))).toMatch(/sox-itgc\.json is invalid at effectiveDate: Expected a real calendar date/);
    const early = folderWithJson('pci-dss-4.json', (v) => {
      v.reviewDate = '2024-03-31';
    });
    expect(failure(() => loadFrameworks(early))).toMatch(/pci-dss-4\.json is invalid at reviewDate: The review date must come after the effective date 2024-03-31\.$/);
  });

  it('refuses an id that is not the file name, and a duplicate key', () => {
    const renamed = folderWithJson('ccpa-cpra.json', (v) => {
      v.id = 'ccpa';
    });
    expect(failure(() => loadFrameworks(renamed))).toMatch(/has the id ccpa; a framework's id must equal its file name, ccpa-cpra\.$/);
    const duplicate = folderWith('iso27001-2022.json', (t) => t.replace('"shortName": "ISO 27001",', '"shortName": "ISO 27001", "shortName": "ISO",'));
    expect(failure(() => loadFrameworks(duplicate))).toMatch(/iso27001-2022\.json has the field "shortName" twice/);
  });

  it('refuses a mapping to a requirement or framework that does not exist, naming the control', () => {
    const typo = folderWith(CONTROLS_FILE, (t) => t.replace('"requirementId": "§164.312(b)"', '"requirementId": "§164.312(c)"'));
    expect(failure(() => loadControls(typo))).toMatch(/controls\.json maps to a requirement that framework hipaa does not have at controls\.0\.mappings\.0 \(control CTL-LOG-01\): §164\.312\(c\)\.$/);
    const unknown = folderWith(CONTROLS_FILE, (t) => t.replace('"framework": "gdpr"', '"framework": "gdpr-uk"'));
    expect(failure(() => loadControls(unknown))).toMatch(/maps to a framework that does not exist at controls\.0\.mappings\.\d+ \(control CTL-LOG-01\): gdpr-uk; the frameworks are ccpa-cpra, /);
  });

  it('refuses a repeated control, an unknown evidence kind, and a missing controls file', () => {
    const repeated = folderWithJson(CONTROLS_FILE, (v) => {
      const list = v.controls as Record<string, unknown>[];
      list[1]!.id = list[0]!.id;
    });
    expect(failure(() => loadControls(repeated))).toMatch(/controls\.json is invalid at controls\.1 \(control CTL-LOG-01\): The control CTL-LOG-01 appears twice\.$/);
    const evidence = folderWithJson(CONTROLS_FILE, (v) => {
      (v.controls as Record<string, unknown>[])[2]!.custosEvidence = ['mind-reading'];
    });
    expect(failure(() => loadControls(evidence))).toMatch(/controls\.json is invalid at controls\.2\.custosEvidence\.0 \(control CTL-LOG-03\): /);
    const missing = folderWith('gdpr.json', (t) => t, [CONTROLS_FILE]);
    expect(failure(() => loadControls(missing))).toMatch(/cannot read the controls file .*controls\.json: it does not exist\.$/);
    expect(failure(() => loadFrameworks(join(missing, 'nowhere')))).toMatch(/cannot read the frameworks folder .*nowhere: it does not exist\.$/);
  });
});

describe('coverage', () => {
  it('counts requirements and controls per framework', () => {
    const rows = frameworks.map((f: Framework) => {
      const mapped = new Set(controls.flatMap((c) => c.mappings.filter((m) => m.framework === f.id).map((m) => m.requirementId)));
      return `${f.shortName.padEnd(10)} ${String(f.requirements.length).padStart(3)} requirements, ${String(mapped.size).padStart(3)} mapped to a control`;
    });
    console.log(`Compliance data: ${controls.length} controls\n${rows.join('\n')}`);
    expect(rows).toHaveLength(7);
  });
});
