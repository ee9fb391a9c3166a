import { z } from 'zod';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { desiredFile, planFile } from './desired-file.js';
import { defineModule } from './types.js';

/** The arguments that are Jinja environment settings of the template's rendering. */
const SYNTAX_ARGS = [
  'trim_blocks',
  'lstrip_blocks',
  'newline_sequence',
  'block_start_string',
  'block_end_string',
  'variable_start_string',
  'variable_end_string',
  'comment_start_string',
  'comment_end_string',
] as const;

const delimiter = (what: string, dflt: string) => z.string().min(1).default(dflt).describe(`the string that ${what}`);

export const template = defineModule({
  name: 'template',
  roleSearchDir: 'templates',
  schema: z.strictObject({
    src: z.string().describe('a Jinja2 template on the controller, relative to the playbook'),
    dest: absPath,
    backup: yesNo.optional().describe('keep the old file as DEST.<time>~'),
    force: yesNo.default(true).describe('replace a file that differs; false: only create a missing one'),
    validate: z.string().includes('%s').optional().describe('command to check the new file; %s is its path'),
    trim_blocks: yesNo.default(true).describe("drop the first newline after a block tag (Jinja's trim_blocks)"),
    lstrip_blocks: yesNo.default(false).describe("strip spaces and tabs before a block tag at a line's start (Jinja's lstrip_blocks)"),
    newline_sequence: z.enum(['\n', '\r', '\r\n']).default('\n').describe("what the template text's newlines become"),
    block_start_string: delimiter('opens a block', '{%'),
    block_end_string: delimiter('closes a block', '%}'),
    variable_start_string: delimiter('opens an expression', '{{'),
    variable_end_string: delimiter('closes an expression', '}}'),
    comment_start_string: delimiter('opens a comment', '{#'),
    comment_end_string: delimiter('closes a comment', '#}'),
    ...fileAttrs,
  }),
  async plan({ args, reader, files, render }) {
    // Jinja settings by Ansible's names, as a `#jinja2:` header names them (src/jinja/header.ts maps both).
    const syntax = Object.fromEntries(SYNTAX_ARGS.map((name) => [name, args[name]]));
    const text = render(files.readText(args.src), files.resolve(args.src), { src: args.src, dest: args.dest, syntax });
    return planFile(reader, desiredFile(args.dest, Buffer.from(text), args), args.force);
  },
});
