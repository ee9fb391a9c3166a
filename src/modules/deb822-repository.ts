import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { fileState } from '../reads/file-state.js';
import { pathExists } from '../reads/path-exists.js';
import { commandLine } from '../shell/quote.js';
import { modeArg, yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { normalizeMode } from './mode.js';
import { defineModule } from './types.js';

const KEYRINGS_DIR = '/etc/apt/keyrings';
const list = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => [v].flat());

const fields = {
  allow_downgrade_to_insecure: yesNo.optional(),
  allow_insecure: yesNo.optional(),
  allow_weak: yesNo.optional(),
  architectures: list.optional(),
  by_hash: yesNo.optional(),
  check_date: yesNo.optional(),
  check_valid_until: yesNo.optional(),
  components: list.optional(),
  date_max_future: z.coerce.number().int().optional(),
  enabled: yesNo.optional(),
  inrelease_path: z.string().optional(),
  languages: list.optional(),
  name: z.string().min(1).describe('the repository name: the file is /etc/apt/sources.list.d/<slug of name>.sources'),
  pdiffs: yesNo.optional(),
  signed_by: z.string().min(1).optional().describe('a keyring path on the host, fingerprints, or an armored key block (URLs are refused)'),
  suites: list.optional(),
  targets: list.optional(),
  trusted: yesNo.optional(),
  types: z
    .union([z.enum(['deb', 'deb-src']), z.array(z.enum(['deb', 'deb-src']))])
    .default(['deb'])
    .transform((v) => [v].flat()),
  uris: list.optional(),
};

const schema = z
  .strictObject({
    ...fields,
    mode: modeArg.default('0644').describe('mode of the .sources file'),
    state: z.enum(['present', 'absent']).default('present'),
    install_python_debian: yesNo.default(true).describe('accepted for Ansible: provision needs no Python on the host'),
  })
  .refine((a) => a.signed_by === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(a.signed_by), {
    message: 'signed_by from a URL is not supported: download the key with get_url and give its path',
  });
export type Deb822Args = z.infer<typeof schema>;

/** The file name Ansible derives from `name`: lowercased, spaces and _ as -, anything else but [a-z0-9-] dropped. */
export function deb822Slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^a-z0-9-]+/g, '');
}

/** A field's name as Ansible writes it: X-Repolib-Name, URIs, otherwise Title-Case-With-Dashes. */
function fieldName(key: string): string {
  if (key === 'name') return 'X-Repolib-Name';
  if (key === 'uris') return 'URIs';
  return key
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('-');
}

/** A multi-line value continues on indented lines, an empty line written as a dot (deb822). */
function multiline(v: string): string {
  const lines = v.trim().split(/\r?\n/);
  return `\n${lines.map((l) => `    ${l.trim() || '.'}`).join('\n')}`;
}

/** The .sources text, fields in the order of their argument names as Ansible sorts them. */
export function deb822Text(a: Deb822Args): string {
  let out = '';
  for (const key of Object.keys(fields).sort()) {
    const v = a[key as keyof typeof fields];
    if (v === undefined) continue;
    let text = typeof v === 'boolean' ? (v ? 'yes' : 'no') : Array.isArray(v) ? v.join(' ') : String(v);
    if (text.includes('\n')) text = multiline(text);
    out += text.startsWith('\n') || text === '' ? `${fieldName(key)}:${text}\n` : `${fieldName(key)}: ${text}\n`;
  }
  return out;
}

export function decideDeb822(a: Deb822Args, current: FileState, keyrings: { asc: boolean; gpg: boolean }): Plan {
  const slug = deb822Slug(a.name);
  const dest = `/etc/apt/sources.list.d/${slug}.sources`;
  if (a.state === 'absent') {
    const changes: Change[] = [];
    const gone = [
      ...(current.exists ? [dest] : []),
      ...(['asc', 'gpg'] as const).filter((e) => keyrings[e]).map((e) => `${KEYRINGS_DIR}/${slug}.${e}`),
    ];
    for (const path of gone) changes.push({ kind: 'exec', command: commandLine(['rm', '-f', '--', path]), description: `remove ${path}` });
    return { changes, data: { repo: null, dest, key_filename: `${KEYRINGS_DIR}/${slug}.gpg` } };
  }
  const repo = deb822Text(a);
  const plan = decideFile(current, { path: dest, content: Buffer.from(repo), mode: normalizeMode(a.mode) });
  return { ...plan, data: { repo, dest, key_filename: null } };
}

export const deb822Repository = defineModule({
  name: 'deb822_repository',
  schema,
  async plan({ args, reader }) {
    const slug = deb822Slug(args.name);
    const absent = args.state === 'absent';
    // One round trip: the .sources file, and for state=absent the keyrings Ansible also removes.
    const [current, asc, gpg] = await Promise.all([
      reader.get(fileState, { path: `/etc/apt/sources.list.d/${slug}.sources`, content: true }),
      absent ? reader.get(pathExists, { path: `${KEYRINGS_DIR}/${slug}.asc` }) : false,
      absent ? reader.get(pathExists, { path: `${KEYRINGS_DIR}/${slug}.gpg` }) : false,
    ]);
    return decideDeb822(args, current, { asc, gpg });
  },
});
