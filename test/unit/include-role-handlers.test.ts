import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

describe('handlers of a role loaded by include_role', () => {
  it('run when notified, after the play’s own handlers, from the handlers_from file', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  handlers:
    - name: own
      debug: { msg: own handler }
  tasks:
    - include_role: { name: app, tasks_from: install, handlers_from: extra }
    - command: "true"
      notify: own
`,
      {
        hosts: '    h1: {}\n',
        files: {
          'roles/app/tasks/install.yml': '- command: "true"\n  notify: [restart app, own]\n',
          'roles/app/handlers/main.yml': '- name: restart app\n  debug: { msg: main }\n',
          'roles/app/handlers/extra.yml': '- name: restart app\n  debug: { msg: extra handler }\n',
        },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    // What ansible-core 2.14.18 ran for the same project: an included role's handlers join the play's list at its end.
    expect(r.results.filter((e) => e.handler).map((e) => e.msg)).toEqual(['own handler', 'extra handler']);
  });
});
