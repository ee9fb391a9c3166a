import { z } from 'zod';

/** Mode as Ansible users write it: '0644', 0644 (read as 644), '644'. */
export const modeArg = z
  .union([
    z.string().regex(/^(0o)?[0-7]{3,4}$/, 'an octal mode like "0644"'),
    z
      .number()
      .int()
      .refine((n) => /^[0-7]{3,4}$/.test(String(n)), 'an octal mode like 0644'),
  ])
  .describe('permissions, octal, quoted: "0644"');

export const fileAttrs = {
  mode: modeArg.optional(),
  owner: z.string().min(1).optional().describe('owner name'),
  group: z.string().min(1).optional().describe('group name'),
};

export const absPath = z.string().regex(/^\//, 'an absolute path').describe('absolute path on the host');

export const yesNo = z
  .union([z.boolean(), z.enum(['yes', 'no', 'true', 'false'])])
  .transform((v) => v === true || v === 'yes' || v === 'true');
