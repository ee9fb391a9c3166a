import { describe, expect, it } from 'vitest';
import { shownTaskName } from '../../src/engine/task-name.js';

// Measured with ansible-playbook 2.14 (ansible.posix.json callback and the TASK banner).
describe('task names as Ansible shows them', () => {
  it('renders a templated name with the variables the task sees', () => {
    expect(shownTaskName('install {{ pkg }}', { pkg: 'nginx' })).toBe('install nginx');
    expect(shownTaskName('web : add {{ user.name }}', { user: { name: 'deploy' } })).toBe('web : add deploy');
  });

  it('keeps the name as written when it reads what is not defined (a loop item, a later fact)', () => {
    expect(shownTaskName('loop {{ item }}', {})).toBe('loop {{ item }}');
    expect(shownTaskName('no template', {})).toBe('no template');
  });
});
