// The template conformance set: cases (what to render), Ansible's recordings (what it gave) and the
// hash that ties a recording to the exact case it was made from. Plain ESM so that the recorder
// script (node, no build step) and the TypeScript tests share one definition.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SET_DIR = dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = join(SET_DIR, 'cases');
export const EXPECTED_DIR = join(SET_DIR, 'expected');
/** Templates that cases include, import or extend (Ansible finds them beside the case's template). */
export const TEMPLATES_DIR = join(SET_DIR, 'templates');
/** Files that `lookup('file', ...)` reads (Ansible's `files/` beside the playbook). */
export const FILES_DIR = join(SET_DIR, 'files');

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** Every case of every file in cases/, in file then document order; throws on a malformed case. */
export function loadCases() {
  const cases = [];
  const seen = new Map();
  for (const file of readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const docs = parse(readFileSync(join(CASES_DIR, file), 'utf8'));
    if (!Array.isArray(docs)) throw new Error(`${file}: expected a list of cases`);
    for (const raw of docs) {
      const where = `${file}: case ${raw?.id ?? '(no id)'}`;
      if (typeof raw?.id !== 'string' || !ID.test(raw.id)) throw new Error(`${where}: id must match ${ID}`);
      if (seen.has(raw.id)) throw new Error(`${where}: id already used in ${seen.get(raw.id)}`);
      seen.set(raw.id, file);
      if (raw.kind !== 'template' && raw.kind !== 'expression') throw new Error(`${where}: kind must be template or expression`);
      if (typeof raw.template !== 'string') throw new Error(`${where}: template must be a string`);
      const vars = raw.vars ?? {};
      if (typeof vars !== 'object' || Array.isArray(vars)) throw new Error(`${where}: vars must be a mapping`);
      cases.push({ id: raw.id, file, kind: raw.kind, template: raw.template, vars, notes: raw.notes ?? '' });
    }
  }
  return cases;
}

/** Names of the shared templates and files a case's text mentions: they are part of what it renders. */
export function supportFiles(c) {
  const named = [];
  for (const [dir, prefix] of [
    [TEMPLATES_DIR, 'templates/'],
    [FILES_DIR, 'files/'],
  ]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (c.template.includes(f)) named.push(prefix + f);
  }
  return named;
}

/** JSON with sorted keys, so that the hash does not depend on key order in the YAML. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** What a recording depends on: kind, text, vars and the shared files it names (not its notes). */
export function caseHash(c) {
  const h = createHash('sha256');
  h.update(canonical({ kind: c.kind, template: c.template, vars: c.vars }));
  for (const f of supportFiles(c)) {
    h.update(`\0${f}\0`);
    h.update(readFileSync(join(SET_DIR, f)));
  }
  return h.digest('hex').slice(0, 16);
}

export function expectedPath(id) {
  return join(EXPECTED_DIR, `${id}.json`);
}

/** The recording for a case, or undefined when it was never recorded. */
export function readExpected(id) {
  const p = expectedPath(id);
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : undefined;
}

/** Shared templates by name, for engines that take templates from memory. */
export function sharedTemplates() {
  if (!existsSync(TEMPLATES_DIR)) return {};
  return Object.fromEntries(
    readdirSync(TEMPLATES_DIR)
      .sort()
      .map((f) => [f, readFileSync(join(TEMPLATES_DIR, f), 'utf8')]),
  );
}

/**
 * Ansible's error, sorted into the few kinds a candidate engine can be compared on (the words
 * differ between engines, the kind must not).
 */
export function ansibleErrorKind(message) {
  if (/AnsibleUndefinedVariable|is undefined|has no attribute/.test(message)) return 'undefined';
  if (/TemplateSyntaxError|template error while templating string|Encountered unknown tag|unexpected/.test(message)) return 'syntax';
  if (/no filter named|No filter named|no test named|No test named|could not load/.test(message)) return 'unknown-name';
  return 'runtime';
}
