import { describe, expect, it } from 'vitest';
import { PamService } from '../../../src/modules/pamd-service.js';

const FILE = [
  '# head comment',
  'auth       required   pam_a.so',
  '# between a and b',
  'auth       required   pam_b.so',
  '',
  'session    required   pam_c.so',
  '# tail comment',
  '',
  '',
].join('\n');

const STAMP = 'T';

// Recorded with community.general's pamd (ansible-core 2.14) on this FILE: a new rule is linked
// straight to the nearest rule on its side, so the lines between them drop out; at the start of
// the file the lines before the first rule stay, at the end the lines after the last rule go.
describe('PamService.insertBeside', () => {
  const newRule = { type: 'auth', control: 'optional', path: 'pam_new.so' };
  const render = (service: PamService) => service.render(STAMP).split('\n');

  it.each([
    [
      'before the first rule',
      'before' as const,
      'pam_a.so',
      ['# head comment', '# Updated by Ansible - T', 'auth       optional pam_new.so', 'auth       required pam_a.so', '# between a and b'],
    ],
    [
      'before a later rule',
      'before' as const,
      'pam_b.so',
      [
        '# head comment',
        '# Updated by Ansible - T',
        'auth       required pam_a.so',
        'auth       optional pam_new.so',
        'auth       required pam_b.so',
        '',
      ],
    ],
    [
      'after a rule followed by another',
      'after' as const,
      'pam_a.so',
      [
        '# head comment',
        '# Updated by Ansible - T',
        'auth       required pam_a.so',
        'auth       optional pam_new.so',
        'auth       required pam_b.so',
        '',
      ],
    ],
  ])('%s', (_name, side, path, head) => {
    const service = new PamService(FILE);
    expect(service.insertBeside({ type: 'auth', control: 'required', path }, newRule, side)).toBe(1);
    expect(render(service).slice(0, head.length)).toEqual(head);
  });

  it('after the last rule, dropping the lines after it', () => {
    const service = new PamService(FILE);
    const wanted = { type: 'session', control: 'optional', path: 'pam_new.so', args: ['x=1'] };
    expect(service.insertBeside({ type: 'session', control: 'required', path: 'pam_c.so' }, wanted, 'after')).toBe(1);
    expect(render(service).slice(-3)).toEqual(['session    required pam_c.so', 'session    optional pam_new.so x=1', '']);
  });

  it.each(['before', 'after'] as const)('%s: no change when the neighbouring rule is the new one', (side) => {
    const service = new PamService(FILE);
    const [ref, wanted] =
      side === 'before'
        ? [
            { type: 'auth', control: 'required', path: 'pam_b.so' },
            { type: 'auth', control: 'required', path: 'pam_a.so' },
          ]
        : [
            { type: 'auth', control: 'required', path: 'pam_a.so' },
            { type: 'auth', control: 'required', path: 'pam_b.so' },
          ];
    expect(service.insertBeside(ref, wanted, side)).toBe(0);
  });
});
