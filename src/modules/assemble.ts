import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { compilePyRegex } from '../jinja/ansible/py-regex.js';
import { dirFiles } from '../reads/dir-files.js';
import { fileState } from '../reads/file-state.js';
import { PYTHON_ESCAPES } from '../util/python-escapes.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { decideFile, desiredFile } from './desired-file.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  src: z.string().min(1).describe('the folder of fragments: on the host (remote_src, the default) or on the controller'),
  dest: absPath.describe('the file assembled from the fragments, in name order'),
  delimiter: z.string().optional().describe('put between fragments (escapes like \\n are read), followed by a newline'),
  regexp: z.string().optional().describe('only fragments whose name this Python regex finds something in'),
  ignore_hidden: yesNo.default(false).describe('leave out fragments whose name starts with a dot'),
  remote_src: yesNo.default(true).describe('false: the fragments are on the controller, relative to the playbook'),
  backup: yesNo.optional().describe('keep the old file as DEST.<time>~'),
  validate: z.string().includes('%s').optional().describe('command to check the new file; %s is its path'),
  ...fileAttrs,
});
export type AssembleArgs = z.infer<typeof schema>;

/** Python's codecs.escape_decode on a delimiter: \n, \t, \\, \xNN and friends. */
export function unescapeDelimiter(d: string): Buffer {
  // codecs.escape_decode also reads a backslash-zero as NUL.
  const simple: Record<string, string> = { ...PYTHON_ESCAPES, '0': '\0' };
  const text = d.replace(/\\(x[0-9a-fA-F]{2}|.)/gs, (whole, esc: string) =>
    esc.startsWith('x') && esc.length === 3 ? String.fromCharCode(Number.parseInt(esc.slice(1), 16)) : (simple[esc] ?? whole),
  );
  return Buffer.from(text, 'latin1');
}

/** Ansible's assemble_from_fragments: name order, a newline after a fragment without one, the delimiter between. */
export function assembleFragments(a: AssembleArgs, fragments: readonly { name: string; content: Buffer }[]): Buffer {
  const wanted = a.regexp === undefined ? undefined : compilePyRegex(a.regexp).make(false);
  const delimiter = a.delimiter ? unescapeDelimiter(a.delimiter) : undefined;
  const parts: Buffer[] = [];
  let first = true;
  let addNewline = false;
  for (const f of [...fragments].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    if (wanted && !wanted.test(f.name)) continue;
    if (a.ignore_hidden && f.name.startsWith('.')) continue;
    if (addNewline) parts.push(Buffer.from('\n'));
    if (!first && delimiter) parts.push(delimiter, ...(delimiter.at(-1) === 0x0a ? [] : [Buffer.from('\n')]));
    parts.push(f.content);
    first = false;
    addNewline = f.content.length === 0 || f.content.at(-1) !== 0x0a;
  }
  return Buffer.concat(parts);
}

const digest = (alg: 'sha1' | 'md5', data: Buffer) => createHash(alg).update(data).digest('hex');

/** Pure decision: the fragments (null: no such path, false: not a folder) against the current file. */
export function decideAssemble(
  a: AssembleArgs,
  fragments: readonly { name: string; content: Buffer }[] | null | false,
  state: FileState,
): Plan {
  if (fragments === null) return { changes: [], failed: `Source (${a.src}) does not exist` };
  if (fragments === false) return { changes: [], failed: `Source (${a.src}) is not a directory` };
  const content = assembleFragments(a, fragments);
  const plan = decideFile(state, desiredFile(a.dest, content, a));
  return { ...plan, data: { src: a.src, dest: a.dest, checksum: digest('sha1', content), md5sum: digest('md5', content) } };
}

export const assemble = defineModule({
  name: 'assemble',
  checkModeSkip: 'check mode is not supported for this task.',
  schema,
  async plan({ args, reader, files }) {
    if (args.remote_src) {
      // One round trip: the fragments with their bytes and the current file.
      const [fragments, state] = await reader.getAll([
        ask(dirFiles, { path: args.src }),
        ask(fileState, { path: args.dest, content: true }),
      ]);
      return decideAssemble(args, fragments, state);
    }
    const folder = files.resolve(args.src);
    const fragments = files
      .listFiles(args.src)
      .filter((f) => !f.includes('/'))
      .map((name) => ({ name, content: files.readBytes(posix.join(folder, name)) }));
    return decideAssemble(args, fragments, await reader.get(fileState, { path: args.dest, content: true }));
  },
});
