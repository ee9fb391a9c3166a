import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../../../src/jinja/value.js';
import { decode, loadFamilies, run, sameTestValue } from './harness.js';

// Every case of cases.mjs against what Ansible 2.14 gave for it (fixtures/*.json, written by
// scripts/record-ansible-filters.mjs): the same input goes straight into the TypeScript filter, test
// or lookup, and its Python type and str() must equal Ansible's, or its error Ansible's message.

const families = loadFamilies();

// Some cases hash a password with Ansible's default 656000 rounds: seconds each on a loaded machine.
describe('Ansible filters, tests and lookups give what Ansible gives', { timeout: 60_000 }, () => {
  it('has recordings', () => {
    expect(families.length).toBeGreaterThan(5);
  });

  for (const [family, cases] of families) {
    describe(family, () => {
      for (const rec of cases) {
        const title = `${rec.expr} ${JSON.stringify(decode(rec.input ?? null) instanceof PyFloat ? rec.input : '')}`;
        if (rec.varies) {
          it(`${title} (varies: ${rec.varies})`, () => {
            const ours = run(rec);
            expect('error' in ours ? 'error' : ours.type).toBe('error' in rec.ansible ? 'error' : rec.ansible.type);
          });
        } else if (rec.differs) {
          it(`${title} (differs: ${rec.differs})`, () => {
            const ours = run(rec);
            expect('error' in ours).toBe('error' in rec.ansible);
          });
        } else {
          it(title, () => {
            const ours = run(rec);
            if (rec.kind === 'test' && sameTestValue(ours, rec.ansible)) return;
            expect(ours).toEqual(rec.ansible);
          });
        }
      }
    });
  }
});
