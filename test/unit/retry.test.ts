import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/config/playbook.js';
import { renderCount } from '../../src/config/task-limits.js';
import { staticTasks } from '../../src/config/task-list.js';
import { nextStep, retryLine, retryPolicy } from '../../src/engine/retry.js';
import { must, ProvisionError } from '../../src/errors.js';
import { GroupAnnouncement, killGroupCommand } from '../../src/transport/kill.js';

function playbook(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'prov-limits-'));
  const file = join(dir, 'pb.yaml');
  writeFileSync(file, text);
  return { file, load: () => loadPlaybook(file) };
}

function loadError(text: string): ProvisionError {
  const { load } = playbook(text);
  try {
    load();
  } catch (err) {
    if (err instanceof ProvisionError) return err;
    throw err;
  }
  throw new Error('the playbook loaded');
}

describe('timeout, until, retries, delay: reading the keywords', () => {
  it('reads numbers, numeric strings, templates, until as one condition or a list, and the play default', () => {
    const pb = playbook(`
- hosts: all
  timeout: 600
  tasks:
    - command: a
      timeout: 30
      until: r is success
      retries: "4"
      delay: 0
      register: r
    - command: b
      timeout: "{{ apt_timeout }}"
      until: [r.rc == 0, "'x' in r.stdout"]
      register: r
    - command: c
`).load();
    const play = must(pb.plays[0], 'the play');
    expect(play.timeout).toBe(600);
    const [a, b, c] = staticTasks(play.tasks);
    expect(a?.limits).toEqual({ timeout: 30, until: ['r is success'], retries: 4, delay: 0 });
    expect(b?.limits).toEqual({
      timeout: '{{ apt_timeout }}',
      until: ['r.rc == 0', "'x' in r.stdout"],
      retries: undefined,
      delay: undefined,
    });
    expect(c?.limits).toEqual({ timeout: undefined, until: [], retries: undefined, delay: undefined });
  });

  it.each([
    ['timeout: -1', 'timeout must not be negative, got -1', '6:16'],
    ['timeout: 2.5', 'timeout must be a whole number of seconds, got 2.5', '6:16'],
    ['timeout: soon', 'timeout must be a whole number of seconds, got "soon"', '6:16'],
    ['retries: [1]', 'retries must be a whole number, got [1]', '6:16'],
    ['delay: -3', 'delay must not be negative, got -3', '6:14'],
  ])('%s is refused at file:line:col with a hint', (line, message, at) => {
    const err = loadError(`- hosts: all
  tasks:
    - command: a
      register: r
      until: r is success
      ${line}
`);
    expect(err.kind).toBe('input');
    expect(err.message).toBe(message);
    expect(`${err.location?.line}:${err.location?.col}`).toBe(at);
    expect(err.hint).toMatch(/^write (timeout|retries|delay): \d+/);
  });

  it('until must be a condition', () => {
    const err = loadError('- hosts: all\n  tasks:\n    - command: a\n      until: { rc: 0 }\n');
    expect(err.message).toMatch(/^task at until/);
    expect(err.location?.line).toBe(4);
  });

  it('a template is checked when rendered, with the same message and the task location', () => {
    const loc = { file: 'pb.yaml', line: 3, col: 7 };
    expect(renderCount('timeout', '{{ t }}', { t: 45 }, loc)).toBe(45);
    expect(renderCount('timeout', '{{ t }}', { t: '45' }, loc)).toBe(45);
    expect(() => renderCount('timeout', '{{ t }}', { t: 'later' }, loc)).toThrow(/timeout must be a whole number of seconds, got "later"/);
  });
});

describe('retry decisions (the numbers of ansible-core 2.14)', () => {
  it('no until and no retries: one try, no policy', () => {
    expect(retryPolicy({ until: [] })).toBeUndefined();
    expect(retryPolicy({ until: [], delay: 3 })).toBeUndefined();
  });

  it('until alone: 3 retries after the first try, 5 s apart', () => {
    expect(retryPolicy({ until: ['r is success'] })).toEqual({ attempts: 4, delayMs: 5000, until: ['r is success'] });
  });

  it('retries N: N + 1 tries; retries 0: one try, until never read', () => {
    expect(retryPolicy({ until: ['c'], retries: 2, delay: 0 })).toEqual({ attempts: 3, delayMs: 0, until: ['c'] });
    expect(retryPolicy({ until: ['c'], retries: 0 })).toBeUndefined();
  });

  it('retries without until: retry until the task does not fail (ansible-core 2.16)', () => {
    expect(retryPolicy({ until: [], retries: 2, delay: 1 })).toEqual({ attempts: 3, delayMs: 1000, until: [] });
  });

  it('stops when satisfied, retries while tries are left, then gives up; reads until once per try', () => {
    const policy = must(retryPolicy({ until: ['c'], retries: 2, delay: 0 }), 'the retry policy');
    let reads = 0;
    const no = () => {
      reads++;
      return false;
    };
    expect(nextStep(policy, 1, no)).toBe('retry');
    expect(nextStep(policy, 2, no)).toBe('retry');
    expect(nextStep(policy, 3, no)).toBe('exhausted');
    expect(nextStep(policy, 3, () => true)).toBe('done');
    expect(reads).toBe(3);
  });

  it("prints Ansible's retry line", () => {
    expect(retryLine('web1', 'apt update', 3)).toBe('FAILED - RETRYING: [web1]: apt update (3 retries left).');
  });
});

describe('process group announcement', () => {
  const token = '__provision_pg_abc__';

  it('takes the announcement out of stderr, in any chunking, and passes the rest through', () => {
    const text = `sudo: unable to resolve host x\n${token} 4242\nreal error\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      const g = new GroupAnnouncement(token);
      const passed = g.feed(text.slice(0, cut)) + g.feed(text.slice(cut)) + g.flush();
      expect(passed).toBe('sudo: unable to resolve host x\nreal error\n');
      expect(g.pgid).toBe(4242);
    }
  });

  it('an output line that only looks like it is not taken', () => {
    const g = new GroupAnnouncement(token);
    expect(g.feed(`${token} 12x\n${token}9 1\n`)).toBe(`${token} 12x\n${token}9 1\n`);
    expect(g.pgid).toBeUndefined();
    expect(g.flush()).toBe('');
  });

  it('never kills group 0 or 1 (the caller itself, or every process)', () => {
    expect(killGroupCommand(4242)).toBe('kill -KILL -4242');
    expect(() => killGroupCommand(1)).toThrow();
    expect(() => killGroupCommand(0)).toThrow();
  });
});
