import { posix } from 'node:path';
import { z } from 'zod';
import { commandLine, quote } from '../shell/quote.js';
import { absPath, yesNo } from './common-args.js';
import { type Change, defineModule } from './types.js';

const schema = z.strictObject({
  src: z.string().min(1).describe('archive: on the controller, or on the host with remote_src'),
  dest: absPath.describe('directory to unpack into (must exist)'),
  remote_src: yesNo.optional(),
  creates: z.string().optional().describe('skip when this path exists'),
  extra_opts: z.array(z.string()).optional().describe('extra arguments to tar'),
});
export type UnarchiveArgs = z.infer<typeof schema>;

/** The archive's first entry, relative: present under dest means it was unpacked already. */
export function firstEntry(listing: string): string | undefined {
  const first = listing.split('\n').find((l) => l.trim());
  return first?.replace(/^\.\//, '').split('/')[0] || undefined;
}

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
  schema,
  async plan({ args, reader, files }) {
    if (args.creates) {
      const r = await reader.read(`[ -e ${quote(args.creates)} ]`);
      if (r.exitCode === 0) return { changes: [], msg: `${args.creates} exists` };
    }
    let listing: string;
    if (args.remote_src) {
      const r = await reader.read(`[ -f ${quote(args.src)} ] && tar -t -f ${quote(args.src)} | head -n 1`);
      listing = r.exitCode === 0 ? r.stdout : '';
    } else {
      const { execa } = await import('execa');
      listing = (await execa('tar', ['-t', '-f', files.resolve(args.src)], { reject: false })).stdout;
    }
    const entry = firstEntry(listing);
    if (!args.creates && entry) {
      const r = await reader.read(`[ -e ${quote(posix.join(args.dest, entry))} ]`);
      if (r.exitCode === 0) return { changes: [], msg: `${posix.join(args.dest, entry)} exists` };
    }
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
