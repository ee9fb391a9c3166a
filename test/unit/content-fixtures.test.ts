import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/config/playbook.js';
import { staticTasks } from '../../src/config/task-list.js';

/** Projects written the way public roles are (ntp, nginx, ssh hardening): each must load as Ansible loads it. */
const dir = join(__dirname, '..', 'fixtures', 'content');
const projects = readdirSync(dir);

describe('content-style projects load', () => {
  it('there are some', () => {
    expect(projects.length).toBeGreaterThanOrEqual(3);
  });

  it.each(projects)('%s', (name) => {
    const pb = loadPlaybook(join(dir, name, 'site.yml'));
    const tasks = pb.plays.flatMap((p) => staticTasks(p.tasks));
    expect(tasks.length).toBeGreaterThan(0);
    // every role task knows its role, and every notify found its handler at load
    expect(tasks.filter((t) => t.name.includes(' : ')).every((t) => t.role !== undefined)).toBe(true);
    expect(pb.plays.flatMap((p) => p.handlers).length).toBeGreaterThan(0);
  });
});
