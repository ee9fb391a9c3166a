#!/usr/bin/env node
// Records the facts comparison (issue 12): on one lab host, Ansible's `setup` output and, right
// after it, what provision's gathering command printed there, for a few gather_subset values. The
// unit test test/unit/facts/facts-compare.test.ts parses provision's recorded output with today's
// parser and compares every fact with Ansible's; test/unit/reads/host_facts.json gets the same
// output as the read's fixture. SHA256SUMS holds the hash of both recordings (of their compact
// JSON): the test refuses a recording edited by hand. The e2e test test/e2e/facts.test.ts compares a live gathering with it.
//
//   npm run build
//   flock /tmp/provision-lab.lock node bin/provision.js lab up test/e2e/inventories/facts.yaml
//   node scripts/record-facts.mjs            (installs python3 on fa-1 for Ansible: apt, from the lab's cache)
//   flock /tmp/provision-lab.lock node bin/provision.js lab down test/e2e/inventories/facts.yaml
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../dist/config/inventory.js';
import { toJson } from '../dist/core/read-value.js';
import { connectHost } from '../dist/engine/connect.js';
import { hostFacts } from '../dist/reads/host-facts.js';

const INVENTORY = 'test/e2e/inventories/facts.yaml';
const HOST = 'fa-1';
const DIR = 'test/fixtures/facts';
const LAB_KNOWN_HOSTS = '/var/lib/provision/lab/known_hosts';
/** gather_subset values recorded: the default, `min`, one subset alone, and a fact name that pulls its collector and its dependency. */
const SUBSETS = [['all'], ['!all'], ['!all', '!min', 'network'], ['!all', '!min', 'mounts']];

const ANSIBLE_ENV = {
  ...process.env,
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  ANSIBLE_PIPELINING: '1',
  ANSIBLE_HOST_KEY_CHECKING: '1',
  ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o ControlMaster=no -o ConnectTimeout=10`,
};

const inv = loadInventory(INVENTORY);
const host = inv.hosts.get(HOST);
if (!host) throw new Error(`no host ${HOST} in ${INVENTORY}`);
const transport = await connectHost(host, { inventoryFile: INVENTORY });
const ansibleVersion = execFileSync('ansible', ['--version']).toString().split('\n')[0];
const ansible = [];
const provision = [];
const readCases = [];
try {
  const prepare = await transport.exec(
    'command -v python3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null; }',
  );
  if (prepare.exitCode !== 0) throw new Error(`installing python3 failed: ${prepare.stderr}`);
  const setup = await transport.exec(readFileSync(join(DIR, 'host-setup.sh'), 'utf8'));
  if (setup.exitCode !== 0) throw new Error(`host setup failed: ${setup.stderr}`);
  for (const subset of SUBSETS) {
    const tree = mkdtempSync(join(tmpdir(), 'facts-'));
    try {
      execFileSync('ansible', [HOST, '-i', INVENTORY, '-m', 'setup', '-a', JSON.stringify({ gather_subset: subset }), '--tree', tree], {
        env: ANSIBLE_ENV,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const result = JSON.parse(readFileSync(join(tree, HOST), 'utf8'));
      ansible.push({ gather_subset: subset, facts: result.ansible_facts });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
    const args = { gather_subset: subset };
    const command = hostFacts.command(args);
    const r = await transport.exec(command, { read: true });
    if (r.exitCode !== 0) throw new Error(`the gathering failed (exit ${r.exitCode}): ${r.stderr}`);
    provision.push({ gather_subset: subset, command, stdout: r.stdout });
    // The read's own fixture (test/unit/reads) keeps two of them: everything, and one subset.
    if (subset[0] === 'all' || subset.includes('network'))
      readCases.push({
        name: `a lab host, gather_subset ${subset.join(',')}`,
        args,
        command,
        output: { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr },
        value: toJson(hostFacts.parse(r, args)) ?? null,
      });
    console.log(`${subset.join(',')}: ${Object.keys(ansible.at(-1).facts).length} facts from Ansible`);
  }
} finally {
  await transport.close();
}

const recorded = {
  host: HOST,
  kind: 'a fresh lab host (Debian 12, systemd-nspawn) with python3, after host-setup.sh',
  ansible: ansibleVersion,
};
const files = {
  'ansible-setup.json': { ...recorded, variants: ansible },
  'provision-gather.json': { ...recorded, variants: provision },
};
const sums = [];
for (const [name, data] of Object.entries(files)) {
  writeFileSync(join(DIR, name), `${JSON.stringify(data, null, 2)}\n`);
  // The hash is of the compact JSON: the formatter may lay the file out again, its content stays.
  sums.push(`${createHash('sha256').update(JSON.stringify(data)).digest('hex')}  ${name}`);
}
writeFileSync(join(DIR, 'SHA256SUMS'), `${sums.join('\n')}\n`);
writeFileSync('test/unit/reads/host_facts.json', `${JSON.stringify(readCases, null, 2)}\n`);
console.log(sums.join('\n'));
