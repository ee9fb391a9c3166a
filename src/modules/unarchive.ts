import { posix } from 'node:path';
import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { archiveEntry, firstEntry } from '../reads/archive-entry.js';
import { pathExists } from '../reads/path-exists.js';
import { remoteArchiveEntry } from '../reads/remote-archive-entry.js';
import { downloadLines, plainDownload, splitUrlCredentials } from '../shell/http-download.js';
import { commandLine } from '../shell/quote.js';
import { absPath, yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  src: z
    .string()
    .min(1)
    .describe('archive: on the controller, or on the host with remote_src (there also an http(s) or ftp URL the host downloads)'),
  dest: absPath.describe('directory to unpack into (must exist)'),
  remote_src: yesNo.optional(),
  creates: z.string().optional().describe('skip when this path exists'),
  extra_opts: z.array(z.string()).optional().describe('extra arguments to tar'),
  validate_certs: yesNo.default(true).describe('false: accept any certificate when src is an https URL'),
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

/** A src Ansible downloads (with remote_src): it holds `://`, as its module tests. */
export function isUrl(src: string): boolean {
  return src.includes('://');
}

/** ansible-core's tar handler ends a check run there, whatever the archive: it cannot tell what unpacking would change. */
const TAR_CHECK_SKIP = 'remote module (unarchive) does not support check mode when using gtar';

/** Ansible's fetch_file timeout; unarchive has no argument for it. */
const URL_TIMEOUT = 10;

/** Download into a private temp file, unpack it (tar finds the compression in a file), remove it. */
export function urlUnpackCommand(a: UnarchiveArgs): string {
  return [
    'set -e',
    't=$(mktemp)',
    `trap 'rm -f -- "$t"' EXIT HUP INT TERM`,
    ...downloadLines(plainDownload(a.src, a.validate_certs, URL_TIMEOUT), '"$t"'),
    `tar -x -f "$t" -C ${commandLine([a.dest, ...(a.extra_opts ?? [])])}`,
  ].join('\n');
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
    if (isUrl(args.src) && !args.remote_src)
      return {
        changes: [],
        failed: `Could not find or access '${args.src}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
      };
    if (isUrl(args.src)) {
      if (splitUrlCredentials(args.src).password !== undefined)
        return {
          changes: [],
          failed: `credentials in an unarchive URL are not supported: download it with get_url (url_username, url_password), then unarchive it with remote_src`,
        };
      // creates first: the archive is not downloaded when it would be skipped, as Ansible's action.
      if (args.creates && (await reader.get(pathExists, { path: args.creates })))
        return { changes: [], skipped: `skipped, since ${args.creates} exists` };
      if (check) return { changes: [], skipped: TAR_CHECK_SKIP };
      // As Ansible, the host downloads the archive on every run; the read lists its first entry.
      entry =
        (await reader.get(remoteArchiveEntry, { url: args.src, validate_certs: args.validate_certs, timeout: URL_TIMEOUT })) ?? undefined;
    } else if (args.remote_src) {
      // One round trip: the guard and what tells an unpacked archive, creates when given (then the
      // archive is not listed: a listing decompresses it), else the archive's first entry.
      const [present, unpacked] = await reader.getAll([
        ask(pathExists, { path: args.src }),
        args.creates ? ask(pathExists, { path: args.creates }) : ask(archiveEntry, { path: args.src }),
      ]);
      if (args.creates && unpacked === true) return { changes: [], skipped: `skipped, since ${args.creates} exists` };
      // A dry run previews the unpack of an archive an earlier task would download, where Ansible's
      // check run fails; applied, a missing archive fails with Ansible's words.
      if (!present && !check) return { changes: [], failed: `Source '${args.src}' does not exist` };
      if (present && check) return { changes: [], skipped: TAR_CHECK_SKIP };
      if (typeof unpacked === 'string') entry = unpacked;
    } else {
      if (args.creates && (await reader.get(pathExists, { path: args.creates })))
        return { changes: [], skipped: `skipped, since ${args.creates} exists` };
      if (check) return { changes: [], skipped: TAR_CHECK_SKIP };
      if (!args.creates) {
        const { execa } = await import('execa');
        entry = firstEntry((await execa('tar', ['-t', '-f', files.resolve(args.src)], { reject: false })).stdout);
      }
    }
    if (!args.creates && entry && (await reader.get(pathExists, { path: posix.join(args.dest, entry) })))
      return { changes: [], msg: `${posix.join(args.dest, entry)} exists` };
    const change: Change = isUrl(args.src)
      ? { kind: 'exec', command: urlUnpackCommand(args), description: `download ${args.src} and unpack it into ${args.dest}` }
      : args.remote_src
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
