import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKv } from '../../src/config/kv-args.js';
import { loadPlaybook } from '../../src/config/playbook.js';
import { staticTasks } from '../../src/config/task-list.js';
import { ProvisionError } from '../../src/errors.js';
import recorded from '../fixtures/ansible-recorded/parse-kv.json' with { type: 'json' };

// Each case was given to ansible-core 2.14.18's parse_kv (check_raw for command lines) on this machine;
// `out` is what it returned, `error` the start of the error it raised.
interface Recorded {
  in: string;
  commandLine: boolean;
  out?: Record<string, string>;
  error?: string;
}

describe('k=v arguments read as Ansible reads them', () => {
  it.each(recorded as Recorded[])('$in', (c) => {
    if (c.error !== undefined) {
      expect(() => parseKv(c.in, { commandLine: c.commandLine })).toThrow(c.error);
      return;
    }
    const { _raw_params: raw, ...args } = c.out ?? {};
    const got = parseKv(c.in, { commandLine: c.commandLine });
    expect(got.args).toEqual(args);
    expect(got.freeForm).toEqual(raw);
  });
});

function tasksOf(tasks: string) {
  const dir = mkdtempSync(join(tmpdir(), 'prov-kv-'));
  writeFileSync(join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  const play = loadPlaybook(join(dir, 'site.yml')).plays[0];
  return play ? staticTasks(play.tasks) : [];
}

function loadError(tasks: string): ProvisionError {
  try {
    tasksOf(tasks);
  } catch (err) {
    if (err instanceof ProvisionError) return err;
    throw err;
  }
  throw new Error('the playbook loaded');
}

describe('module arguments in a task', () => {
  it('takes chdir/creates out of a command line and keeps the rest as the command (Ansible ran it: cmd [echo, a=b, "x  y"])', () => {
    const [t] = tasksOf('    - command: echo a=b "x  y" chdir={{ d }} creates=/nonexistent\n');
    expect(t?.args).toEqual({ cmd: 'echo a=b "x  y"', chdir: '{{ d }}', creates: '/nonexistent' });
  });

  it('lets inline words win over args: (Ansible ran `command: pwd chdir=/var` with args chdir /etc in /var)', () => {
    const [t] = tasksOf('    - command: pwd chdir=/var\n      args:\n        chdir: /etc\n        creates: /x\n');
    expect(t?.args).toEqual({ cmd: 'pwd', chdir: '/var', creates: '/x' });
  });

  it('reads action: module k=v, in both of its forms', () => {
    const [a, b, c] = tasksOf(
      [
        '    - action: debug msg="via action {{ d }}"',
        '    - action: command echo hi chdir=/usr',
        '    - action:\n        module: copy dest=/tmp/a\n        content: x',
        '',
      ].join('\n'),
    );
    expect([a?.module, a?.args]).toEqual(['debug', { msg: 'via action {{ d }}' }]);
    expect([b?.module, b?.args]).toEqual(['command', { cmd: 'echo hi', chdir: '/usr' }]);
    expect([c?.module, c?.args]).toEqual(['copy', { dest: '/tmp/a', content: 'x' }]);
  });

  it('keeps templates with spaces and quoted values whole', () => {
    const [a, b] = tasksOf(
      [
        '    - apt: name={{ item }} state=present',
        '      loop: [jq]',
        `    - copy: dest=/etc/tools-installed content="{{ ['a', 'b'] | join(' ') }}" mode=0644`,
        '',
      ].join('\n'),
    );
    expect(a?.args).toEqual({ name: '{{ item }}', state: 'present' });
    expect(b?.args).toEqual({ dest: '/etc/tools-installed', content: "{{ ['a', 'b'] | join(' ') }}", mode: '0644' });
  });

  it('refuses words that are not key=value on a module without a free form, as Ansible does', () => {
    const err = loadError('    - name: t\n      file: path=/tmp/x state\n');
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(/this task 'file' has extra params.*"state"/);
    expect(err.location).toMatchObject({ line: 5, col: 13 });
    expect(loadError('    - debug: hello world\n').message).toMatch(/this task 'debug' has extra params/);
  });

  it('points at the broken k=v string with Ansible words', () => {
    const err = loadError('    - name: t\n      copy: dest="/tmp/a b content=x\n');
    expect(err.message).toContain('failed at splitting arguments, either an unbalanced jinja2 block or quotes');
    expect(err.location).toMatchObject({ line: 5, col: 13 });
  });
});
