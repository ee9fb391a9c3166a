import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DIFFERENCE_RULES, type DifferenceRuleId } from './differences.js';
import type { Phase, Recording } from './types.js';

export const COMPAT_DIR = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const CASES_DIR = join(COMPAT_DIR, 'cases');
export const EXPECTED_DIR = join(COMPAT_DIR, 'expected');

const phase = z.enum(['check', 'apply', 'again']);
const ruleId = z.enum(Object.keys(DIFFERENCE_RULES) as [DifferenceRuleId, ...DifferenceRuleId[]]);

/** case.yaml: what a case exercises and what of the hosts it compares. */
export const caseSpec = z.strictObject({
  /** A line saying what the case is, in the words of the content it imitates. */
  about: z.string(),
  /** Construct names, each a key of constructs.yaml. */
  constructs: z.array(z.string()).min(1),
  /** How many twin hosts (node1, node2) the case runs on. */
  hosts: z.union([z.literal(1), z.literal(2)]).default(1),
  /** The case's own inventory file (INI or YAML) with @node1@/@node2@ for addresses; else one is written. */
  inventory: z.string().optional(),
  /** Extra arguments given to both tools (--tags x, -e k=v). */
  args: z.array(z.string()).default([]),
  /** Environment variables given to both tools (ANSIBLE_ROLES_PATH=...). */
  env: z.record(z.string(), z.string()).optional(),
  /**
   * The case's ansible.cfg names the inventory and the user and key that reach the hosts: the tools
   * get no -i, and the inventory gets only the lab's known_hosts (not ansible_user, not the key).
   */
  from_ansible_cfg: z.boolean().optional(),
  snapshot: z
    .strictObject({
      paths: z.array(z.string().startsWith('/')).default([]),
      units: z.array(z.string()).default([]),
    })
    .default({ paths: [], units: [] }),
  /**
   * A folder of the case served over HTTP to the twins, the same for both tools, while the case
   * runs: at http://198.18.0.1:PORT/, the URL given to the playbook as `-e compat_http=URL`.
   */
  http: z
    .strictObject({
      root: z.string(),
      /** URL path prefix -> headers (lower-case names) a request there must carry; else 401 with a Basic challenge. */
      require: z.record(z.string().startsWith('/'), z.record(z.string(), z.string())).default({}),
    })
    .optional(),
  /** A run where provision differs from Ansible on purpose: phase -> the rule (lib/differences.ts) and why, in one line. */
  deliberate_difference: z.partialRecord(phase, z.strictObject({ rule: ruleId, why: z.string() })).optional(),
  /** provision does not run this case yet: the missing feature (the comparison expects a difference). */
  pending: z.string().optional(),
});

export type CaseSpec = z.infer<typeof caseSpec>;

export interface CompatCase {
  id: string;
  dir: string;
  spec: CaseSpec;
  hash: string;
}

/** Every file under a directory, recursively, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** What of case.yaml changes the run: marking a case pending or naming its constructs does not. */
function runRelevant(caseYaml: Buffer): string {
  const { about, constructs, pending, deliberate_difference, ...rest } = parse(caseYaml.toString()) as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * sha256 over every file of the case (relative path, executable bit and bytes; of case.yaml only
 * what changes the run), so any edit that could change Ansible's run means re-recording.
 */
export function caseHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of filesUnder(dir)) {
    const rel = relative(dir, f);
    h.update(`${rel}\0${statSync(f).mode & 0o111 ? 'x' : '-'}\0`);
    h.update(rel === 'case.yaml' ? runRelevant(readFileSync(f)) : readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export function loadCase(id: string): CompatCase {
  const dir = join(CASES_DIR, id);
  const file = join(dir, 'case.yaml');
  const parsed = caseSpec.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  if (!existsSync(join(dir, 'site.yml'))) throw new Error(`${dir}: no site.yml`);
  return { id, dir, spec: parsed.data, hash: caseHash(dir) };
}

/** Every case, by id; COMPAT_CASES=a,b narrows the set (for working on a few). */
export function loadCases(only = process.env.COMPAT_CASES): CompatCase[] {
  const wanted = only ? new Set(only.split(',')) : undefined;
  return readdirSync(CASES_DIR)
    .filter((d) => statSync(join(CASES_DIR, d)).isDirectory() && (!wanted || wanted.has(d)))
    .sort()
    .map(loadCase);
}

export function expectedFile(id: string): string {
  return join(EXPECTED_DIR, `${id}.json`);
}

export function readExpected(id: string): Recording | undefined {
  const f = expectedFile(id);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Recording) : undefined;
}

export function phaseArgs(p: Phase): string[] {
  return p === 'check' ? ['--check'] : [];
}
