import { posix } from 'node:path';
import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { archiveEntry, firstEntry } from '../reads/archive-entry.js';
import { pathExists } from '../reads/path-exists.js';
import { commandLine } from '../shell/quote.js';
import { absPath, yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  src: z.string().min(1).describe('archive: on the controller, or on the host with remote_src'),
  dest: absPath.describe('directory to unpack into (must exist)'),
  remote_src: yesNo.optional(),
  creates: z.string().optional().describe('skip when this path exists'),
  extra_opts: z.array(z.string()).optional().describe('extra arguments to tar'),
});
export type UnarchiveArgs = z.infer<typeof schema>;

/** tar guesses compression from a file, not from a pipe: name it by the archive's extension. */
export function compressionFlag(src: string): string[] {
  if (/\.(tar\.gz|tgz)$/.test(src)) return ['-z'];
  if (/\.(tar\.bz2|tbz2?)$/.test(src)) return ['-j'];
  if (/\.(tar\.xz|txz)$/.test(src)) return ['-J'];
  if (/\.tar\.zst$/.test(src)) return ['--zstd'];
  return [];
}

export function unpackCommand(a: UnarchiveArgs, fromStdin: boolean): string {
  return commandLine([
    'tar',
    '-x',
    ...(fromStdin ? compressionFlag(a.src) : []),
    '-f',
    fromStdin ? '-' : a.src,
    '-C',
    a.dest,
    ...(a.extra_opts ?? []),
  ]);
}

export const unarchive = defineModule({
  name: 'unarchive',
  roleSearchDir: 'files',
  schema,
  async plan({ args, reader, files, check }) {
    let entry: string | undefined;
    if (args.remote_src) {
      // One round trip: the guard, the archive and its first entry.
      const [present, first, created] = await reader.getAll([
        ask(pathExists, { path: args.src }),
        ask(archiveEntry, { path: args.src }),
        ...(args.creates ? [ask(pathExists, { path: args.creates })] : []),
      ]);
      if (args.creates && created) return { changes: [], skipped: `skipped, since ${args.creates} exists` };
      // A dry run previews the unpack of an archive an earlier task would download, where Ansible's
      // check run fails; applied, a missing archive fails with Ansible's words.
      if (!present && !check) return { changes: [], failed: `Source '${args.src}' does not exist` };
      entry = first ?? undefined;
    } else {
      if (args.creates && (await reader.get(pathExists, { path: args.creates })))
        return { changes: [], skipped: `skipped, since ${args.creates} exists` };
      const { execa } = await import('execa');
      entry = firstEntry((await execa('tar', ['-t', '-f', files.resolve(args.src)], { reject: false })).stdout);
    }
    if (!args.creates && entry && (await reader.get(pathExists, { path: posix.join(args.dest, entry) })))
      return { changes: [], msg: `${posix.join(args.dest, entry)} exists` };
    const change: Change = args.remote_src
      ? { kind: 'exec', command: unpackCommand(args, false), description: `unpack ${args.src} into ${args.dest}` }
      : {
          kind: 'exec',
          command: unpackCommand(args, true),
          stdin: files.readBytes(args.src),
          description: `upload and unpack ${args.src} into ${args.dest}`,
        };
    return { changes: [change] };
  },
});
