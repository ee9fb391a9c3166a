import { readFileSync, rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { provision, runOn, taskStatuses as statuses } from './helpers.js';

// The file modules of issue 12 against Ansible: ansible-core 2.14.18 ran
// test/e2e/playbooks/modules-files.yaml twice (2026-11-28, on a fresh folder); this test runs
// provision on the lab host m-d and expects the same statuses and files.
const INV = 'test/e2e/inventories/modules-files.yaml';
const PB = 'test/e2e/playbooks/modules-files.yaml';
const HOST = { name: 'm-d', address: '198.18.2.153' };
const FETCHED = '/tmp/modules-fetch';

const ANSIBLE_FIRST = 'changed changed changed changed changed ok ok changed changed ok';
const ANSIBLE_SECOND = 'ok ok ok ok ok ok ok ok changed ok';
/** Ansible's assembled file: the delimiter between fragments, a newline after a fragment without one, hidden left out. */
const ASSEMBLED = 'a1\n### part\nb-no-newline';

describe('file modules against Ansible, on a lab host', () => {
  beforeAll(async () => {
    await runOn(HOST.address, 'rm -rf /etc/frag.d /etc/frag.conf /tmp/ansible.*.build');
    rmSync(FETCHED, { recursive: true, force: true });
  });

  it('assemble, find, fetch, tempfile: statuses and files as Ansible', async () => {
    const first = await provision(['up', INV, '--playbook', PB, '--limit', HOST.name, '--json']);
    expect(first.code, first.stdout.slice(-3000)).toBe(0);
    expect(statuses(first.stdout)).toBe(ANSIBLE_FIRST);
    const second = await provision(['up', INV, '--playbook', PB, '--limit', HOST.name, '--json']);
    expect(second.code, second.stdout.slice(-3000)).toBe(0);
    expect(statuses(second.stdout)).toBe(ANSIBLE_SECOND);
    expect(await runOn(HOST.address, "stat -c '%a %U %G' /etc/frag.conf; cat /etc/frag.conf")).toBe(`640 root root\n${ASSEMBLED}`);
    expect(readFileSync(`${FETCHED}/${HOST.name}/etc/frag.conf`, 'utf8')).toBe(ASSEMBLED);
  });
});
