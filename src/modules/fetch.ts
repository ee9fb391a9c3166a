import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { fileBytes } from '../reads/file-bytes.js';
import { absPath, yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  src: absPath.describe('the file on the host to copy to the controller'),
  dest: z.string().min(1).describe('folder on the controller (relative to the playbook): the file lands in DEST/HOST/SRC'),
  flat: yesNo.default(false).describe('DEST is the file itself (or DEST/ + the basename of src), without the host and src path'),
  fail_on_missing: yesNo.default(true).describe('fail when src does not exist on the host'),
  validate_checksum: yesNo.default(true).describe('accepted for Ansible: the bytes are checked as they arrive'),
});
export type FetchArgs = z.infer<typeof schema>;

const digest = (alg: 'sha1' | 'md5', data: Buffer) => createHash(alg).update(data).digest('hex');

/** Where the file lands on the controller, as Ansible names it: per host unless flat. */
export function fetchDest(a: FetchArgs, host: string, dwim: (p: string) => string): string {
  if (!a.flat) return posix.normalize(`${dwim(a.dest)}/${host}/${a.src}`);
  const dest = a.dest.endsWith('/') ? posix.join(a.dest, posix.basename(a.src)) : a.dest;
  return posix.normalize(dwim(dest));
}

/** Pure decision: the host's bytes (null when missing) against what the controller holds. */
export function decideFetch(a: FetchArgs, dest: string, remote: Buffer | null, local: Buffer | undefined): Plan {
  if (remote === null) {
    const msg = 'the remote file does not exist, not transferring, ignored';
    return a.fail_on_missing ? { changes: [], failed: msg } : { changes: [], msg, data: { file: a.src } };
  }
  const checksum = digest('sha1', remote);
  const data = { dest, checksum, md5sum: digest('md5', remote), remote_checksum: checksum, remote_md5sum: null };
  if (local !== undefined && digest('sha1', local) === checksum) return { changes: [], msg: `${dest} is up to date`, data };
  return { changes: [{ kind: 'controller-write', path: dest, content: remote, description: `fetch ${a.src} to ${dest}` }], data };
}

export const fetch = defineModule({
  name: 'fetch',
  checkModeSkip: 'check mode not (yet) supported for this module',
  schema,
  async plan({ args, host, reader, files }) {
    const dest = fetchDest(args, host, (p) => files.dwim(p));
    // One round trip: the bytes come back with the read, so applying only writes on the controller.
    const remote = await reader.get(fileBytes, { path: args.src });
    return decideFetch(args, dest, remote, files.exists(dest) ? files.readBytes(dest) : undefined);
  },
});
