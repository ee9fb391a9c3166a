import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { HostReader } from '../core/reads.js';
import { ask } from '../core/reads.js';
import { must } from '../errors.js';
import { jsonDumps } from '../jinja/ansible/py-json.js';
import { fileState } from '../reads/file-state.js';
import { treeState } from '../reads/tree-state.js';
import { absPath, fileAttrs, modeArg, yesNo } from './common-args.js';
import { decideRemoteCopy, remotePaths } from './copy-remote.js';
import { decideTreeCopy, type SourceTree, treeDirsToRead, treeTargets } from './copy-tree.js';
import { desiredFile, planFile } from './desired-file.js';
import { type ControllerFiles, defineModule } from './types.js';

const schema = z
  .strictObject({
    dest: absPath,
    content: z
      .union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
      // A template that renders a list or mapping: Ansible's copy writes it as json.dumps does.
      .transform((v) => (typeof v === 'string' ? v : jsonDumps(v)))
      .optional()
      .describe('the file content (a list or mapping is written as JSON)'),
    src: z
      .string()
      .optional()
      .describe(
        'a file or folder on the controller, relative to the playbook (on the host with remote_src); a folder ending in / copies what is in it',
      ),
    remote_src: yesNo.default(false).describe('src is on the host: a file, or a folder merged into dest'),
    directory_mode: modeArg.optional().describe('mode of the folders a folder copy makes or fixes'),
    local_follow: yesNo.default(true).describe('follow links in a controller folder (only true is supported)'),
    backup: yesNo.optional().describe('keep the old file as DEST.<time>~'),
    force: yesNo.default(true).describe('replace a file that differs; false: only create a missing one'),
    validate: z.string().includes('%s').optional().describe('command to check the new file; %s is its path'),
    ...fileAttrs,
  })
  .refine((a) => (a.content === undefined) !== (a.src === undefined), { message: 'give exactly one of content or src' })
  .refine((a) => a.local_follow, { message: 'local_follow: false (copying controller links as links) is not supported yet' })
  .refine((a) => !a.remote_src || a.src !== undefined, { message: 'remote_src needs src' });
export type CopyArgs = z.infer<typeof schema>;

/** A folder from the controller: every folder and file of it read in one round trip, then decided. */
async function planTreeCopy(reader: HostReader, files: ControllerFiles, a: CopyArgs & { src: string }, tree: SourceTree) {
  const root = files.resolve(a.src);
  const t = treeTargets(a.src, root, a.dest, tree);
  const dirPaths = treeDirsToRead(t);
  const states = await reader.getAll([
    ...dirPaths.map((path) => ask(fileState, { path })),
    ...t.files.map((f) => ask(fileState, { path: f.path, content: true })),
  ]);
  const dirs = new Map(dirPaths.map((p, i) => [p, must(states[i], `state of ${p}`)] as const));
  const fileStates = t.files.map((f, i) => ({
    path: f.path,
    state: must(states[dirPaths.length + i], `state of ${f.path}`) as FileState,
    content: files.readBytes(posix.join(root, f.rel)),
  }));
  return decideTreeCopy(a, t, dirs, fileStates);
}

async function planRemoteCopy(reader: HostReader, a: CopyArgs & { src: string }) {
  const { inner, target } = remotePaths(a);
  const [src, srcTree, dest, innerState, targetTree] = await reader.getAll([
    ask(fileState, { path: a.src, checksum: true }),
    ask(treeState, { path: a.src }),
    ask(fileState, { path: a.dest, checksum: true }),
    ask(fileState, { path: inner, checksum: true }),
    ask(treeState, { path: target }),
  ] as const);
  return decideRemoteCopy(a, { src, srcTree, dest, inner: innerState, targetTree });
}

export const copy = defineModule({
  name: 'copy',
  roleSearchDir: 'files',
  schema,
  async plan({ args, reader, files }) {
    if (args.src !== undefined) {
      const a = { ...args, src: args.src };
      if (args.remote_src) return planRemoteCopy(reader, a);
      const tree = files.walk(args.src);
      if (tree) return planTreeCopy(reader, files, a, tree);
    }
    const content =
      args.content !== undefined ? Buffer.from(args.content) : files.readBytes(must(args.src, 'src (the schema requires content or src)'));
    // A trailing slash on dest names a folder: the file goes into it under its own name, as Ansible's action does.
    const dest = args.src !== undefined && args.dest.endsWith('/') ? posix.join(args.dest, posix.basename(args.src)) : args.dest;
    return planFile(reader, desiredFile(dest, content, args), args.force);
  },
});
