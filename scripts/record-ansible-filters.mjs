#!/usr/bin/env node
// Records what Ansible itself gives for each case of test/unit/jinja/ansible/cases.mjs (Ansible's
// filters, tests and lookups, issue 15): ONE ansible-playbook run on the controller (localhost,
// connection local, no facts). Each case is a play variable e_N holding the template
// `{% set r = EXPR %}{{ r | type_debug }}|{{ r | string }}` (the Python type and str() of the
// result, read back exactly) and variables cN_* with its input and arguments; one debug task loops
// over the cases and renders each with Ansible's own Templar through a small lookup written beside
// the playbook (lookup_plugins/record.py), which catches the error of a failing case and returns its
// message, so one case cannot stop the loop and the run takes one worker process, not one per case.
// The playbook is written into the fixture tree (test/unit/jinja/ansible/fixtures/tree) so lookups
// search its files/ and templates/ as the unit tests do; the tree's absolute path is recorded as
// <TREE>.
// Usage: node scripts/record-ansible-filters.mjs   (needs ansible-playbook on PATH)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_VARS, FIXTURES_DIR, families, TREE_DIR } from '../test/unit/jinja/ansible/cases.mjs';

// A value as YAML flow text: JSON, plus {$float: n} as a float literal; a float is written so that
// YAML 1.1 reads it as one (1e-7 would be a string there: its float needs a dot and a signed exponent).
function yamlValue(v) {
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1e21) return BigInt(v).toString();
  if (typeof v === 'number' && !Number.isInteger(v)) {
    const [m, e] = v.toExponential().split('e');
    return `${m.includes('.') ? m : `${m}.0`}e${e.startsWith('-') ? e : `+${e.replace('+', '')}`}`;
  }
  if (Array.isArray(v)) return `[${v.map(yamlValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    if ('$float' in v) return v.$float === 'nan' ? '.nan' : Number.isInteger(v.$float) ? `${v.$float}.0` : String(v.$float);
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${yamlValue(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

const isUndef = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && '$undefined' in v;

/** The Jinja expression of a case; its values come from play vars named PREFIX_in, PREFIX_a0, PREFIX_k_NAME. */
function expression(c, vars, prefix) {
  const ref = (name, v) => {
    if (isUndef(v)) return v.$undefined;
    vars[name] = v;
    return name;
  };
  const args = (c.args ?? []).map((a, i) => ref(`${prefix}_a${i}`, a));
  for (const [k, v] of Object.entries(c.kwargs ?? {})) args.push(`${k}=${ref(`${prefix}_k_${k}`, v)}`);
  if (c.kind === 'lookup') return `${c.query === false ? 'lookup' : 'query'}('${c.name}'${args.map((a) => `, ${a}`).join('')})`;
  const input = 'input' in c ? ref(`${prefix}_in`, c.input) : 'none';
  const call = args.length || c.call ? `${c.name}(${args.join(', ')})` : c.name;
  return c.kind === 'test' ? `(${input}) is ${call}` : `(${input}) | ${call}`;
}

const all = [];
for (const [family, cases] of Object.entries(families)) for (const c of cases) all.push({ family, ...c });

const playVars = Object.entries(CONTEXT_VARS).map(([k, v]) => `${k}: ${yamlValue(v)}`);
all.forEach((c, i) => {
  const vars = {};
  c.expr = expression(c, vars, `c${i}`);
  playVars.push(`e_${i}: ${JSON.stringify(`{% set r = ${c.expr} %}{{ r | type_debug }}|{{ r | string }}`)}`);
  for (const [k, v] of Object.entries(vars)) playVars.push(`${k}: ${yamlValue(v)}`);
});
const playbook = join(TREE_DIR, 'record.yml');
const plugins = join(TREE_DIR, 'lookup_plugins');
mkdirSync(plugins, { recursive: true });
writeFileSync(
  join(plugins, 'record.py'),
  [
    'from ansible.module_utils._text import to_native',
    'from ansible.plugins.lookup import LookupBase',
    '',
    '',
    'class LookupModule(LookupBase):',
    '    def run(self, terms, variables=None, **kwargs):',
    '        self._templar.available_variables = variables',
    '        out = []',
    '        for term in terms:',
    '            try:',
    "                out.append('OK:' + self._templar.template(variables[term], fail_on_undefined=True))",
    '            except Exception as e:',
    "                out.append('ERR:' + to_native(e))",
    '        return out',
    '',
  ].join('\n'),
);
writeFileSync(
  playbook,
  [
    '- hosts: localhost',
    '  connection: local',
    '  gather_facts: false',
    '  vars:',
    ...playVars.map((line) => `    ${line}`),
    '  tasks:',
    `    - debug: {msg: "{{ lookup('record', 'e_' ~ item) }}"}`,
    `      loop: "{{ range(${all.length}) | list }}"`,
    '      ignore_errors: true',
    '',
  ].join('\n'),
);
let output;
try {
  output = execFileSync('ansible-playbook', ['-i', 'localhost,', playbook], {
    cwd: TREE_DIR,
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_DEPRECATION_WARNINGS: '0' },
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
} catch (err) {
  // The play "fails" when a case fails; its JSON report is still complete.
  output = err.stdout;
} finally {
  rmSync(playbook);
  rmSync(plugins, { recursive: true });
}
const run = JSON.parse(output.slice(output.indexOf('{')));
const host = run.plays[0].tasks[0].hosts.localhost;
if (!host.results) throw new Error(`the loop did not run: ${host.msg}`);
const results = host.results;

const NORMAL_TYPES = {
  AnsibleUnicode: 'str',
  AnsibleUnsafeText: 'str',
  NativeJinjaText: 'str',
  NativeJinjaUnsafeText: 'str',
  AnsibleSequence: 'list',
  AnsibleMapping: 'dict',
};
/**
 * The plugin's own words inside Ansible's wrapping: after the last "original message: ", without the
 * "Unexpected templating type error occurred on (TEMPLATE): " prefix, and once where Ansible appends
 * the original exception to an error that already says it ("A. A").
 */
function errorCore(msg) {
  const at = msg.lastIndexOf('original message: ');
  let core = at < 0 ? msg : msg.slice(at + 'original message: '.length);
  const typeError =
    /^Unexpected templating type error occurred on \(\{% set r = [\s\S]*? %\}\{\{ r \| type_debug \}\}\|\{\{ r \| string \}\}\): /.exec(
      core,
    );
  if (typeError) core = core.slice(typeError[0].length);
  const half = (core.length - 2) / 2;
  if (Number.isInteger(half) && core.slice(0, half) === core.slice(half + 2) && core.slice(half, half + 2) === '. ')
    core = core.slice(0, half);
  return core;
}

// Values that come from playbook YAML are AnsibleUnicode/AnsibleSequence/AnsibleMapping in Ansible
// and plain str/list/dict when a template makes them; provision has one str, so the recorded
// messages and type names say str/list/dict.
const plainTypes = (s) =>
  s
    .replace(/ansible\.parsing\.yaml\.objects\.AnsibleUnicode/g, 'str')
    .replace(/\bAnsibleUnicode\b/g, 'str')
    .replace(/\bAnsibleSequence\b/g, 'list')
    .replace(/\bAnsibleMapping\b/g, 'dict');
const untree = (s) => plainTypes(s.split(TREE_DIR).join('<TREE>'));
const byFamily = {};
all.forEach((c, i) => {
  const r = results[i];
  const { family, ...rest } = c;
  let outcome;
  if (r.failed) throw new Error(`case ${i} (${c.expr}) failed outside the record lookup: ${r.msg}`);
  if (r.msg.startsWith('ERR:')) {
    const msg = r.msg.slice(4);
    outcome = { error: untree(errorCore(msg)) };
  } else {
    const msg = r.msg.slice(3);
    const bar = msg.indexOf('|');
    const type = msg.slice(0, bar);
    outcome = { type: NORMAL_TYPES[type] ?? type, str: untree(msg.slice(bar + 1)) };
  }
  byFamily[family] = [...(byFamily[family] ?? []), { ...rest, ansible: outcome }];
});
for (const [family, recorded] of Object.entries(byFamily)) {
  writeFileSync(join(FIXTURES_DIR, `${family}.json`), `${JSON.stringify(recorded, null, 1)}\n`);
}
console.log(`recorded ${all.length} cases in ${Object.keys(byFamily).length} fixture files`);
