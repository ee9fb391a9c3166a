import { z } from 'zod';
import { must } from '../errors.js';
import { jsonDumps } from '../jinja/ansible/py-json.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { desiredFile, planFile } from './desired-file.js';
import { defineModule } from './types.js';

export const copy = defineModule({
  name: 'copy',
  roleSearchDir: 'files',
  schema: z
    .strictObject({
      dest: absPath,
      content: z
        .union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
        // A template that renders a list or mapping: Ansible's copy writes it as json.dumps does.
        .transform((v) => (typeof v === 'string' ? v : jsonDumps(v)))
        .optional()
        .describe('the file content (a list or mapping is written as JSON)'),
      src: z.string().optional().describe('a file on the controller, relative to the playbook'),
      backup: yesNo.optional().describe('keep the old file as DEST.<time>~'),
      force: yesNo.default(true).describe('replace a file that differs; false: only create a missing one'),
      validate: z.string().includes('%s').optional().describe('command to check the new file; %s is its path'),
      ...fileAttrs,
    })
    .refine((a) => (a.content === undefined) !== (a.src === undefined), { message: 'give exactly one of content or src' }),
  async plan({ args, reader, files }) {
    const content =
      args.content !== undefined ? Buffer.from(args.content) : files.readBytes(must(args.src, 'src (the schema requires content or src)'));
    return planFile(reader, desiredFile(args.dest, content, args), args.force);
  },
});
