import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/config/inventory.js';
import { jsonReporter, plainReporter } from '../../src/report/plain.js';
import { MASK, SecretRegistry, secrets } from '../../src/secrets.js';

describe('secrets', () => {
  it('masks values tagged !secret and values of password-like names, everywhere', () => {
    loadInventory('inventory/lab.yaml');
    expect(secrets.mask('auth_pass keep520')).toBe(`auth_pass ${MASK}`);
    const r = new SecretRegistry();
    r.collect({ db: { password: 'hunter22' }, api_token: 'tok-123', name: 'visible' });
    expect(r.mask('hunter22 tok-123 visible')).toBe(`${MASK} ${MASK} visible`);
  });

  it('every reporter masks: text, diffs and JSON', () => {
    loadInventory('inventory/lab.yaml');
    const lines: string[] = [];
    const e = {
      event: 'task_result' as const,
      play: 'p',
      task: 't',
      host: 'h',
      handler: false,
      status: 'changed' as const,
      check: true,
      changes: ['update /etc/k.conf'],
      diffs: [{ path: '/etc/k.conf', before: 'auth_pass old\n', after: 'auth_pass keep520\n' }],
      msg: 'keep520',
      durationMs: 1,
      roundTrips: 1,
    };
    plainReporter((l) => lines.push(l), { verbose: true, diff: true }).handle(e);
    jsonReporter((l) => lines.push(l)).handle(e);
    const all = lines.join('\n');
    expect(all).not.toContain('keep520');
    expect(all).toContain(`+auth_pass ${MASK}`);
  });
});
