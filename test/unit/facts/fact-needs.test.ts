import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/config/inventory.js';
import { loadPlaybook } from '../../../src/config/playbook.js';
import { type FactNeeds, factNeeds } from '../../../src/engine/fact-needs.js';
import { gatherArgs } from '../../../src/engine/facts.js';
import { SECTION } from '../../../src/reads/facts/collector.js';
import { collectorOfFact, FACT_COLLECTORS, hostFacts } from '../../../src/reads/host-facts.js';
import { runLocal } from '../helpers.js';

const ROOT = join(import.meta.dirname, '../../..');

/** factNeeds of a project written to a temporary folder: pb.yaml, inv.yaml and any other files. */
function needsOf(playbook: string, files: Record<string, string> = {}, inventory = 'all:\n  hosts:\n    h1: {}\n'): FactNeeds {
  const dir = mkdtempSync(join(tmpdir(), 'prov-needs-'));
  for (const [name, text] of Object.entries({ ...files, 'pb.yaml': playbook, 'inv.yaml': inventory })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const pb = loadPlaybook(join(dir, 'pb.yaml'));
  return factNeeds(pb, loadInventory(join(dir, 'inv.yaml'), { playbookDir: pb.dir }), {});
}

const play = (tasks: string, extra = '') => `- hosts: all\n${extra}  tasks:\n${tasks}`;
const collectors = (n: FactNeeds) => (n.all ? `all: ${n.why}` : n.collectors);

describe('which facts a run can read (src/engine/fact-needs.ts)', () => {
  it('the keepalived job reads only its distribution', () => {
    const pb = loadPlaybook(join(ROOT, 'playbooks/site.yaml'));
    const needs = factNeeds(pb, loadInventory(join(ROOT, 'inventory/lab.yaml'), { playbookDir: pb.dir }), {});
    expect(needs).toEqual({
      all: false,
      facts: ['distribution', 'distribution_major_version', 'distribution_release', 'distribution_version'],
      collectors: ['distribution'],
    });
  });

  it.each([
    ['a when condition', "    - debug: { msg: x }\n      when: ansible_service_mgr == 'systemd'\n", ['service_mgr']],
    ["assert's bare that", '    - assert: { that: ["ansible_os_family == \'Debian\'"] }\n', ['distribution']],
    [
      'ansible_facts by attribute and by key',
      '    - debug: { msg: "{{ ansible_facts.env.HOME }} {{ ansible_facts[\'pkg_mgr\'] }}" }\n',
      ['env', 'pkg_mgr'],
    ],
    [
      "another host's facts",
      "    - debug: { msg: \"{{ hostvars[item]['ansible_default_ipv4']['address'] }}\" }\n      loop: \"{{ groups['all'] }}\"\n",
      ['network'],
    ],
    ['vars by a fixed name', '    - debug: { msg: "{{ vars[\'ansible_hostname\'] }}" }\n', ['platform']],
    ['a guarded fact', '    - debug: { msg: "{{ ansible_lsb.codename | default(\'none\') }}" }\n', ['lsb']],
    [
      'connection settings, magic variables and module-returned facts (none gathered)',
      '    - debug: { msg: "{{ ansible_host }} {{ ansible_user | default(1) }} {{ ansible_check_mode }} {{ ansible_play_hosts }} {{ ansible_facts.packages | default({}) }}" }\n',
      [],
    ],
    [
      'a host key fact, though ansible_ssh_* names are connection settings',
      '    - debug: { msg: "{{ ansible_ssh_host_key_ed25519_public }} {{ ansible_ssh_common_args | default(1) }}" }\n',
      ['ssh_pub_keys'],
    ],
    ['a shell command that only mentions a fact', '    - command: echo ansible_default_ipv4 is not read\n', []],
  ])('%s', (_what, tasks, expected) => {
    expect(collectors(needsOf(play(tasks)))).toEqual(expected);
  });

  it.each([
    ['ansible_facts whole', '    - debug: { var: ansible_facts }\n', 'ansible_facts is read whole'],
    [
      'ansible_facts by a computed key',
      '    - debug: { msg: "{{ ansible_facts[name] }}" }\n      vars: { name: os_family }\n',
      'computed key',
    ],
    ["a host's variables whole", '    - debug: { msg: "{{ hostvars[inventory_hostname] | to_json }}" }\n', 'hostvars is read whole'],
    [
      'hostvars handed to a filter',
      "    - debug: { msg: \"{{ groups['all'] | map('extract', hostvars, 'ansible_fqdn') }}\" }\n",
      'hostvars is read whole',
    ],
    ['a computed fact name', '    - debug: { msg: "{{ vars[\'ansible_\' + iface] }}" }\n      vars: { iface: lo }\n', 'computed name'],
    ['a vars lookup', "    - debug: { msg: \"{{ lookup('vars', 'ansible_' ~ 'lo') }}\" }\n", "lookup('vars')"],
    ["an interface's facts", '    - debug: { msg: "{{ ansible_lo.mtu }}" }\n', 'ansible_lo is no fact a collector names'],
    ['include_vars', '    - include_vars: { file: v.yaml }\n', 'loads variables chosen at run time'],
    [
      'a file included by a template name',
      '    - include_tasks: "{{ name }}.yaml"\n      vars: { name: t }\n',
      'loads a file named by a template',
    ],
  ])('%s: every collector runs', (_what, tasks, why) => {
    expect(collectors(needsOf(play(tasks), { 'v.yaml': 'a: 1\n', 't.yaml': '- debug: { msg: hi }\n' }))).toContain(why);
  });

  it('reads through variables of every layer, template files and included task files', () => {
    const needs = needsOf(
      play(
        '    - template: { src: page.j2, dest: /tmp/page }\n    - include_tasks: more.yaml\n',
        '  vars:\n    arch: "{{ ansible_architecture }}"\n  vars_files: [vars.yaml]\n',
      ),
      {
        'templates/page.j2': '{% for h in groups.all %}{{ hostvars[h].ansible_machine_id }}{% endfor %}\n',
        'more.yaml': '- debug: { msg: "{{ ansible_dns.nameservers }}" }\n',
        'vars.yaml': 'kernel: "{{ ansible_kernel }}"\n',
      },
      'all:\n  vars:\n    who: "{{ ansible_user_id }}"\n  hosts:\n    h1: {}\n',
    );
    expect(needs).toEqual({
      all: false,
      facts: ['architecture', 'dns', 'kernel', 'machine_id', 'user_id'],
      collectors: ['dns', 'platform', 'user'],
    });
  });

  it('a template file that includes another: every collector runs', () => {
    const needs = needsOf(play('    - template: { src: a.j2, dest: /tmp/a }\n'), { 'templates/a.j2': "{% include 'b.j2' %}\n" });
    expect(collectors(needs)).toContain('includes or imports other templates');
  });

  it("a name the inventory defines is a variable, not a fact, even under Ansible's prefix", () => {
    const inventory = 'all:\n  vars:\n    ansible_site_name: lab\n  hosts:\n    h1: {}\n';
    expect(collectors(needsOf(play('    - debug: { msg: "{{ ansible_site_name }}" }\n'), {}, inventory))).toEqual([]);
  });

  it("the gathering runs only the needed collectors and those they need first; gather_subset's own selection still bounds it", () => {
    const sections = (command: string) => [...command.matchAll(new RegExp(`${SECTION}(\\w+)`, 'g'))].map((m) => m[1]);
    const network = { all: false as const, facts: ['default_ipv4'], collectors: ['network'] };
    expect(sections(hostFacts.command(gatherArgs({}, network)))).toEqual(['platform', 'distribution', 'network']);
    expect(sections(hostFacts.command(gatherArgs({ gatherSubset: ['!all'] }, network)))).toEqual(['platform', 'distribution']);
    expect(sections(hostFacts.command(gatherArgs({}, { all: false, facts: [], collectors: [] })))).toEqual([]);
    expect(sections(hostFacts.command(gatherArgs({}, { all: true, why: 'x' })))).toHaveLength(FACT_COLLECTORS.length);
  });
});

describe("each collector's declared facts (what a reference selects)", () => {
  const recorded = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/facts/provision-gather.json'), 'utf8')) as {
    variants: { stdout: string }[];
  };
  const ansible = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/facts/ansible-setup.json'), 'utf8')) as {
    variants: { facts: Record<string, unknown> }[];
  };

  it('name every fact the collector parsed from a recorded gathering (an interface named after itself aside)', () => {
    for (const { stdout } of recorded.variants) {
      const parts = stdout.split(`\n${SECTION}`).map((p) => p.replace(SECTION, ''));
      const collected = {};
      for (const c of FACT_COLLECTORS) {
        const part = parts.find((p) => p.startsWith(`${c.name}\n`));
        if (part === undefined) continue;
        const facts = c.parse(part.slice(c.name.length + 1), collected);
        Object.assign(collected, facts);
        const interfaces = new Set(Array.isArray(facts.interfaces) ? facts.interfaces.map(String) : []);
        for (const name of Object.keys(facts)) if (!interfaces.has(name)) expect(c.facts, `${c.name} gives ${name}`).toContain(name);
      }
    }
  });

  it("cover every fact of Ansible's recorded setup, each named by one collector only", () => {
    const facts = ansible.variants[0]?.facts ?? {};
    const interfaces = new Set((facts.ansible_interfaces as string[]).map((i) => `ansible_${i}`));
    for (const name of Object.keys(facts).filter((n) => !interfaces.has(n) && !/^(gather_subset|module_setup)$/.test(n)))
      expect(collectorOfFact(name.replace(/^ansible_/, '')), name).toBeDefined();
    const all = FACT_COLLECTORS.flatMap((c) => c.facts);
    expect(all.length).toBe(new Set(all).size);
  });
});

describe('a run gathers what it reads', () => {
  it("a template reads another host's facts through hostvars, gathered for it on that host", async () => {
    const r = await runLocal(`- hosts: all\n  tasks:\n    - template: { src: t.j2, dest: "{{ d }}/{{ inventory_hostname }}.txt" }\n`, {
      files: { 'templates/t.j2': "{{ hostvars['h2'].ansible_system }} {{ ansible_python_version is defined }}\n" },
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'h1.txt'), 'utf8')).toBe('Linux True\n');
  });
});
