import { z } from 'zod';
import { BECOME_METHODS, UNSUPPORTED_BECOME_METHODS } from '../transport/become.js';

// Imports nothing of the template layer: the inventory's schema uses this too, and templates import the inventory's types.
const templated = (v: string) => v.includes('{{') || v.includes('{%');

/** become_method (keyword or ansible_become_method): sudo or su, or a template decided per host; Ansible's other methods are named when refused. */
export const becomeMethod = z.string().superRefine((v, ctx) => {
  if ((BECOME_METHODS as readonly string[]).includes(v) || templated(v)) return;
  const known = UNSUPPORTED_BECOME_METHODS.includes(v);
  ctx.addIssue({
    code: 'custom',
    message: known
      ? `become_method ${v} is not supported: provision becomes another user with ${BECOME_METHODS.join(' or ')}`
      : `unknown become_method "${v}": provision becomes another user with ${BECOME_METHODS.join(' or ')}`,
  });
});
