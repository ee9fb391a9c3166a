import { z } from 'zod';
import { SYMBOLIC_MODE } from './mode.js';

/** Mode as Ansible users write it: '0644', 0644 (read as 644), '644', or symbolic: 'u=rw,g=r,o=r'. */
export const modeArg = z
  .union([
    z
      .string()
      .refine((m) => /^(0o)?[0-7]{3,4}$/.test(m) || SYMBOLIC_MODE.test(m), 'an octal mode like "0644" or a symbolic one like "u=rw,g=r"'),
    z
      .number()
      .int()
      .refine((n) => /^[0-7]{3,4}$/.test(String(n)), 'an octal mode like 0644'),
  ])
  .describe('permissions: octal, quoted ("0644"), or symbolic ("u=rw,g=r,o=r", "u+x")');

export const fileAttrs = {
  mode: modeArg.optional(),
  owner: z.string().min(1).optional().describe('owner name'),
  group: z.string().min(1).optional().describe('group name'),
};

export const absPath = z.string().regex(/^\//, 'an absolute path').describe('absolute path on the host');

export const yesNo = z
  .union([z.boolean(), z.enum(['yes', 'no', 'true', 'false'])])
  .transform((v) => v === true || v === 'yes' || v === 'true');
