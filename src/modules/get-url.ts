import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { must, ProvisionError } from '../errors.js';
import { fileState } from '../reads/file-state.js';
import { atomicReplaceCommand } from '../shell/atomic-replace.js';
import { ANSIBLE_HTTP_AGENT, type DownloadRequest, downloadLines, downloadStdin, splitUrlCredentials } from '../shell/http-download.js';
import { quote } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { absPath, dictArg, fileAttrs, yesNo } from './common-args.js';
import { controllerDownload } from './controller-download.js';
import { attributeChanges, normalizeMode } from './desired-file.js';
import { defineModule } from './types.js';

const DIGEST_LENGTH = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;
type Algorithm = keyof typeof DIGEST_LENGTH;

export const checksumArg = z
  .string()
  .regex(/^(md5|sha1|sha256|sha512):[0-9a-fA-F]+$/, 'a checksum like "sha256:<64 hex digits>"')
  .refine((c) => {
    // Zod runs this even when the regex above failed: a value without a colon is simply not a digest.
    const [alg, hex] = c.split(':');
    return hex !== undefined && hex.length === DIGEST_LENGTH[alg as Algorithm];
  }, 'a digest of the right length for its algorithm (sha256: 64 hex digits)')
  .describe('ALGORITHM:HEX, verified before the file is put in place');

const schema = withAliases(
  {
    url: z.string().regex(/^(https?|ftp):\/\//, 'an http, https or ftp URL'),
    dest: absPath.describe('file path, or a directory to download into'),
    checksum: checksumArg.optional(),
    require_checksum: yesNo.optional().describe('refuse to download without a checksum'),
    download: z
      .enum(['host', 'controller'])
      .default('host')
      .describe('where the download happens: controller uploads it, for hosts with no internet'),
    proxy: z.string().optional().describe('HTTP proxy the host uses for the download'),
    use_proxy: yesNo.default(true).describe("false: no proxy, even one the host's environment names"),
    force: yesNo.optional().describe('download again even when dest exists (without a checksum)'),
    timeout: z.coerce.number().int().positive().default(60),
    headers: dictArg.optional().describe('HTTP headers: a mapping (or a JSON object, or "k1=v1, k2=v2"); sent on stdin'),
    url_username: z.string().optional().describe('user for HTTP basic (or digest) authentication'),
    url_password: z
      .string()
      .optional()
      .describe('password for url_username: a secret, masked in all output, given to the download on stdin'),
    force_basic_auth: yesNo.default(false).describe('send the credentials with the first request, not only after a 401'),
    validate_certs: yesNo.default(true).describe('false: accept any certificate (https)'),
    http_agent: z.string().default(ANSIBLE_HTTP_AGENT).describe('the User-Agent header'),
    tmp_dest: absPath.optional().describe('accepted; the download goes to a temp file beside dest (so it is renamed into place)'),
    backup: yesNo.default(false).describe('keep the replaced file as DEST.<time>~'),
    ...fileAttrs,
  },
  { username: 'url_username', password: 'url_password' },
).refine((a) => !a.require_checksum || a.checksum, { message: 'require_checksum is set but no checksum is given' });
export type GetUrlArgs = z.infer<typeof schema>;

function splitChecksum(c: string): { alg: Algorithm; hex: string } {
  const [alg, hex] = c.split(':');
  return { alg: alg as Algorithm, hex: must(hex, `the digest of checksum "${c}"`).toLowerCase() };
}

export function destPath(a: GetUrlArgs, destIsDir: boolean): string {
  return destIsDir || a.dest.endsWith('/') ? posix.join(a.dest, posix.basename(new URL(a.url).pathname)) : a.dest;
}

/** The download as get_url's arguments ask for it: credentials out of the URL, url_username winning as in Ansible. */
export function downloadRequest(a: GetUrlArgs): DownloadRequest {
  const fromUrl = splitUrlCredentials(a.url);
  const own = a.url_username !== undefined && a.url_username !== '';
  return {
    url: fromUrl.url,
    headers: a.headers ?? {},
    username: own ? a.url_username : fromUrl.username,
    password: own ? a.url_password : fromUrl.password,
    forceBasicAuth: a.force_basic_auth,
    validateCerts: a.validate_certs,
    useProxy: a.use_proxy,
    proxy: a.proxy,
    timeout: a.timeout,
    userAgent: a.http_agent,
  };
}

/** The secrets a task's get_url arguments hold: its password, and one written into the URL. */
export function getUrlSecrets(a: GetUrlArgs): string[] {
  return [a.url_password, splitUrlCredentials(a.url).password].filter((p): p is string => !!p);
}

/**
 * Download on the host into a temp file beside dest, verify, then rename into place: never a partial
 * file at dest. Headers and credentials are its stdin (downloadStdin), never its command line.
 */
export function hostDownloadCommand(a: GetUrlArgs, dest: string): string {
  const sum = a.checksum ? splitChecksum(a.checksum) : undefined;
  return atomicReplaceCommand({
    path: dest,
    mode: normalizeMode(a.mode) ?? '0644',
    owner: a.owner,
    group: a.group,
    backup: a.backup,
    fill: [
      ...downloadLines(downloadRequest(a), '"$t"'),
      sum
        ? `echo "${sum.hex}  $t" | ${sum.alg}sum -c --status || { echo "checksum mismatch for ${quote(splitUrlCredentials(a.url).url)}: got $(${sum.alg}sum "$t" | cut -c1-${DIGEST_LENGTH[sum.alg]}), expected ${sum.hex}" >&2; exit 1; }`
        : '',
    ],
  });
}

/** Download on the controller and verify before anything reaches the host. */
export async function downloadOnController(a: GetUrlArgs): Promise<Buffer> {
  const body = await controllerDownload(downloadRequest(a));
  if (a.checksum) {
    const { alg, hex } = splitChecksum(a.checksum);
    const got = createHash(alg).update(body).digest('hex');
    if (got !== hex) throw new ProvisionError('module', `checksum mismatch for ${a.url}: got ${got}, expected ${hex}`);
  }
  return body;
}

export function decideGetUrl(a: GetUrlArgs, dest: string, state: FileState): Plan {
  const sum = a.checksum ? splitChecksum(a.checksum) : undefined;
  // Only sha256 is read back with the file state; other algorithms are verified at download time.
  const matches = state.exists && state.type === 'file' && (sum ? sum.alg !== 'sha256' || state.sha256 === sum.hex : !a.force);
  if (matches) {
    const attrs = attributeChanges(state, { path: dest, mode: normalizeMode(a.mode), owner: a.owner, group: a.group });
    const msg = attrs.length ? 'file already exists but file attributes changed' : 'file already exists';
    return { changes: attrs, msg, data: { dest, url: a.url } };
  }
  if (a.download === 'controller') {
    return {
      data: { dest, url: a.url },
      changes: [
        {
          kind: 'write',
          file: {
            path: dest,
            content: () => downloadOnController(a),
            mode: normalizeMode(a.mode) ?? '0644',
            owner: a.owner,
            group: a.group,
            backup: a.backup,
          },
          description: `download ${a.url} (via controller)`,
        },
      ],
    };
  }
  return {
    changes: [
      { kind: 'exec', command: hostDownloadCommand(a, dest), stdin: downloadStdin(downloadRequest(a)), description: `download ${a.url}` },
    ],
    data: { dest, url: a.url },
  };
}

export const getUrl = defineModule({
  name: 'get_url',
  schema,
  secretValues: getUrlSecrets,
  async plan({ args, reader }) {
    // dest may be a directory: read the file inside it in the same round trip.
    const inside = destPath(args, true);
    const [atDest, atInside] = await reader.getAll([
      ask(fileState, { path: args.dest, checksum: true }),
      ask(fileState, { path: inside, checksum: true }),
    ]);
    const dest = destPath(args, atDest.exists && atDest.type === 'directory');
    return decideGetUrl(args, dest, dest === args.dest ? atDest : atInside);
  },
});
