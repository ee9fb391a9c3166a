import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_INVENTORIES } from '../e2e/global-setup.js';

// .ci/run takes these down after a timeout killed the tests before their teardown: the list it
// reads must be the teardown's own, so that a new lab inventory is added in one place.
describe('scripts/e2e-inventories.mjs', () => {
  const listed = execFileSync('node', ['scripts/e2e-inventories.mjs']).toString().split('\n').filter(Boolean);

  it('lists what the e2e teardown takes down', () => {
    expect(listed).toEqual(TEST_INVENTORIES);
  });

  it.each(listed)('%s exists', (inv) => {
    expect(existsSync(inv)).toBe(true);
  });
});
