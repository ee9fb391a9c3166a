import { z } from 'zod';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { desiredFile, planFile } from './desired-file.js';
import { defineModule } from './types.js';

export const template = defineModule({
  name: 'template',
  roleSearchDir: 'templates',
  schema: z.strictObject({
    src: z.string().describe('a Jinja2 template on the controller, relative to the playbook'),
    dest: absPath,
    backup: yesNo.optional().describe('keep the old file as DEST.<time>~'),
    force: yesNo.default(true).describe('replace a file that differs; false: only create a missing one'),
    validate: z.string().includes('%s').optional().describe('command to check the new file; %s is its path'),
    ...fileAttrs,
  }),
  async plan({ args, reader, files, render }) {
    const text = render(files.readText(args.src), files.resolve(args.src), { src: args.src, dest: args.dest });
    return planFile(reader, desiredFile(args.dest, Buffer.from(text), args), args.force);
  },
});
