#!/usr/bin/env node
// Records what Ansible itself gives for every case of the template conformance set
// (test/template-conformance): one ansible-playbook run on the controller (localhost, connection
// local), one block per case carrying the case's vars as block vars.
//   kind template:   Ansible's `template` module renders the case's template file (trim_blocks on,
//                    the `#jinja2:` header honoured, includes found beside the template);
//   kind expression: `set_fact` stores the value (Ansible's native-type conversion), kept with
//                    its Python type name (type_debug).
// Errors are recorded as Ansible's message plus a kind (undefined, syntax, unknown-name, runtime).
// The template action renders in-process; only its last step, handing the rendered file to the copy
// module (a Python process per case: minutes for the set), is replaced by a local action that copies
// the same bytes (action_plugins/copy.py below, which `ansible.legacy.copy` resolves to first).
// Usage: node scripts/record-template-conformance.mjs [--keep]   (needs ansible-playbook on PATH)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ansibleErrorKind,
  caseHash,
  EXPECTED_DIR,
  expectedPath,
  FILES_DIR,
  loadCases,
  TEMPLATES_DIR,
} from '../test/template-conformance/case-set.mjs';

const keep = process.argv.includes('--keep');
const cases = loadCases();
const work = mkdtempSync(join(tmpdir(), 'tpl-conformance-'));
const out = join(work, 'out');
mkdirSync(out);
cpSync(TEMPLATES_DIR, join(work, 'templates'), { recursive: true });
if (existsSync(FILES_DIR)) cpSync(FILES_DIR, join(work, 'files'), { recursive: true });

// Case ids are free text; file and variable names are cNNNN.
const keyOf = new Map(cases.map((c, i) => [c.id, `c${String(i + 1).padStart(4, '0')}`]));
const writeResult = (key, expr) => ({ copy: { dest: `${out}/${key}.json`, content: `{{ ${expr} | to_json }}` } });
const blocks = cases.map((c) => {
  const key = keyOf.get(c.id);
  const rescue = [writeResult(key, "{'error': ansible_failed_result.msg}")];
  if (c.kind === 'template') {
    writeFileSync(join(work, 'templates', `${key}.j2`), c.template);
    return {
      name: c.id,
      vars: c.vars,
      block: [{ template: { src: `${key}.j2`, dest: `${out}/${key}.out` } }],
      rescue,
    };
  }
  // A variable per case: a set_fact outlives its block.
  return {
    name: c.id,
    vars: c.vars,
    block: [{ set_fact: { [key]: c.template } }, writeResult(key, `{'value': ${key}, 'type': ${key} | type_debug}`)],
    rescue,
  };
});
// JSON files: Ansible reads the values exactly as the cases hold them (no YAML 1.1 re-reading).
writeFileSync(join(work, 'site.json'), JSON.stringify([{ hosts: 'localhost', connection: 'local', gather_facts: false, tasks: blocks }]));
writeFileSync(
  join(work, 'inventory.json'),
  JSON.stringify({ all: { hosts: { localhost: { ansible_python_interpreter: '/usr/bin/python3' } } } }),
);
mkdirSync(join(work, 'action_plugins'));
writeFileSync(
  join(work, 'action_plugins', 'copy.py'),
  [
    'import shutil',
    'from ansible.plugins.action import ActionBase',
    '',
    '',
    'class ActionModule(ActionBase):',
    '    def run(self, tmp=None, task_vars=None):',
    '        args = self._task.args',
    "        if 'content' in args:",
    "            with open(args['dest'], 'w', encoding='utf-8') as f:",
    "                f.write(args['content'])",
    '        else:',
    "            shutil.copyfile(args['src'], args['dest'])",
    "        return {'changed': True}",
    '',
  ].join('\n'),
);
writeFileSync(
  join(work, 'ansible.cfg'),
  ['[defaults]', 'retry_files_enabled = False', 'localhost_warning = False', 'deprecation_warnings = False', ''].join('\n'),
);

const started = Date.now();
try {
  execFileSync('ansible-playbook', ['-i', 'inventory.json', 'site.json'], {
    cwd: work,
    env: { ...process.env, ANSIBLE_CONFIG: join(work, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
} catch (err) {
  // Failing cases end in their rescue; a failing run is a broken recorder.
  process.stderr.write(String(err.stdout ?? ''));
  process.stderr.write(String(err.stderr ?? ''));
  throw new Error(`ansible-playbook failed (work dir ${work})`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);

mkdirSync(EXPECTED_DIR, { recursive: true });
const wanted = new Set(cases.map((c) => `${c.id}.json`));
for (const f of readdirSync(EXPECTED_DIR)) if (f.endsWith('.json') && !wanted.has(f)) rmSync(join(EXPECTED_DIR, f));
for (const c of cases) {
  const key = keyOf.get(c.id);
  const rec = { id: c.id, hash: caseHash(c), kind: c.kind };
  const resultFile = join(out, `${key}.json`);
  const r = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : {};
  if (typeof r.error === 'string') rec.error = { kind: ansibleErrorKind(r.error), message: r.error };
  else if (c.kind === 'template') rec.output = readFileSync(join(out, `${key}.out`), 'utf8');
  else if ('value' in r) {
    rec.value = r.value;
    rec.type = r.type;
  } else throw new Error(`no result for case ${c.id} (${key}, work dir ${work})`);
  writeFileSync(expectedPath(c.id), `${JSON.stringify(rec, null, 2)}\n`);
}
if (!keep) rmSync(work, { recursive: true, force: true });
console.log(`recorded ${cases.length} cases with Ansible in ${seconds} s${keep ? ` (work dir ${work})` : ''}`);
