import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { must, ProvisionError } from '../errors.js';
import { fileState } from '../reads/file-state.js';
import { atomicReplaceCommand } from '../shell/atomic-replace.js';
import { quote } from '../shell/quote.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
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

const schema = z
  .strictObject({
    url: z.string().regex(/^(https?|ftp):\/\//, 'an http, https or ftp URL'),
    dest: absPath.describe('file path, or a directory to download into'),
    checksum: checksumArg.optional(),
    require_checksum: yesNo.optional().describe('refuse to download without a checksum'),
    download: z
      .enum(['host', 'controller'])
      .default('host')
      .describe('where the download happens: controller uploads it, for hosts with no internet'),
    proxy: z.string().optional().describe('HTTP proxy the host uses for the download'),
    force: yesNo.optional().describe('download again even when dest exists (without a checksum)'),
    timeout: z.coerce.number().int().positive().default(60),
    ...fileAttrs,
  })
  .refine((a) => !a.require_checksum || a.checksum, { message: 'require_checksum is set but no checksum is given' });
export type GetUrlArgs = z.infer<typeof schema>;

function splitChecksum(c: string): { alg: Algorithm; hex: string } {
  const [alg, hex] = c.split(':');
  return { alg: alg as Algorithm, hex: must(hex, `the digest of checksum "${c}"`).toLowerCase() };
}

export function destPath(a: GetUrlArgs, destIsDir: boolean): string {
  return destIsDir || a.dest.endsWith('/') ? posix.join(a.dest, posix.basename(new URL(a.url).pathname)) : a.dest;
}

// Ansible downloads with the host's Python; a minimal Debian host has python3 sooner than curl or wget.
// urllib honours http_proxy/https_proxy from the environment, as curl and wget do.
const PYTHON_DOWNLOAD = [
  'import shutil, sys, urllib.request',
  'url, dest, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])',
  'try:',
  '    with urllib.request.urlopen(url, timeout=timeout) as r, open(dest, "wb") as f:',
  '        shutil.copyfileobj(r, f)',
  'except Exception as e:',
  '    sys.exit(f"Request failed: {url}: {e}")',
].join('\n');

/** Download on the host into a temp file beside dest, verify, then rename into place: never a partial file at dest. */
export function hostDownloadCommand(a: GetUrlArgs, dest: string): string {
  const sum = a.checksum ? splitChecksum(a.checksum) : undefined;
  const proxyEnv = a.proxy ? `http_proxy=${quote(a.proxy)} https_proxy=${quote(a.proxy)} ` : '';
  return atomicReplaceCommand({
    path: dest,
    mode: normalizeMode(a.mode) ?? '0644',
    owner: a.owner,
    group: a.group,
    fill: [
      `if command -v python3 >/dev/null 2>&1; then ${proxyEnv}python3 -c ${quote(PYTHON_DOWNLOAD)} ${quote(a.url)} "$t" ${a.timeout};`,
      `elif command -v curl >/dev/null 2>&1; then ${proxyEnv}curl -fsSL --max-time ${a.timeout} -o "$t" ${quote(a.url)};`,
      `elif command -v wget >/dev/null 2>&1; then ${proxyEnv}wget -q -T ${a.timeout} -O "$t" ${quote(a.url)};`,
      `else echo 'get_url: the host has none of python3, curl, wget' >&2; exit 127; fi`,
      sum
        ? `echo "${sum.hex}  $t" | ${sum.alg}sum -c --status || { echo "checksum mismatch for ${a.url}: got $(${sum.alg}sum "$t" | cut -c1-${DIGEST_LENGTH[sum.alg]}), expected ${sum.hex}" >&2; exit 1; }`
        : '',
    ],
  });
}

/** Download on the controller and verify before anything reaches the host. */
export async function controllerDownload(a: GetUrlArgs): Promise<Buffer> {
  const res = await fetch(a.url, { signal: AbortSignal.timeout(a.timeout * 1000) });
  if (!res.ok) throw new ProvisionError('module', `download of ${a.url} failed: HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
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
          file: { path: dest, content: () => controllerDownload(a), mode: normalizeMode(a.mode) ?? '0644', owner: a.owner, group: a.group },
          description: `download ${a.url} (via controller)`,
        },
      ],
    };
  }
  return {
    changes: [{ kind: 'exec', command: hostDownloadCommand(a, dest), description: `download ${a.url}` }],
    data: { dest, url: a.url },
  };
}

export const getUrl = defineModule({
  name: 'get_url',
  schema,
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
