import { createHmac, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { type HomeFile, homeFile } from '../reads/home-file.js';
import { commandLine } from '../shell/quote.js';
import { entryMatches } from '../transport/known-hosts.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    name: z.string().min(1).describe('the host the key is for (a name, an address, or [host]:port)'),
    key: z.string().min(1).optional().describe('the known_hosts line: host field, key type and key; needed for state=present'),
    path: z.string().min(1).default('~/.ssh/known_hosts').describe('the file to edit'),
    hash_host: yesNo.default(false).describe('hash the host field (|1|salt|hash) as ssh-keygen -H does'),
    state: z.enum(['present', 'absent']).default('present'),
  },
  { host: 'name' },
);
export type KnownHostsArgs = z.infer<typeof schema>;

interface KeyFields {
  options?: string;
  host: string;
  type: string;
  key: string;
}

/** normalize_known_hosts_key: the fields of an entry, the marker (@revoked...) apart, anything after the key dropped. */
export function keyFields(line: string): KeyFields {
  const k = line.trim().split(/\s+/);
  if (k[0]?.startsWith('@')) return { options: k[0], host: k[1] ?? '', type: k[2] ?? '', key: k[3] ?? '' };
  return { host: k[0] ?? '', type: k[1] ?? '', key: k[2] ?? '' };
}

const sameFields = (a: KeyFields, b: KeyFields) => a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key;

/** The key line with its host field hashed as ssh-keygen -H hashes it, under a given salt (random in use). */
export function hashHost(host: string, key: string, salt: Buffer): string {
  const parts = key.trim().split(/\s+/);
  const i = parts[0]?.startsWith('@') ? 1 : 0;
  parts[i] = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`;
  return parts.join(' ');
}

/** The lines of the file `ssh-keygen -F host` would find (1-based line numbers), in file order. */
function hostLines(text: string, host: string): { line: number; text: string }[] {
  return text.split('\n').flatMap((raw, i) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return [];
    const f = keyFields(t);
    if (!f.type || !f.key) return [];
    return entryMatches(f.host, host) ? [{ line: i + 1, text: t }] : [];
  });
}

/** search_for_host_key: whether the host is in the file, whether the key must be replaced or added, and the line of the key it replaces. */
export function searchHostKey(
  text: string | null,
  host: string,
  key: string | undefined,
): { found: boolean; replaceOrAdd: boolean; foundLine?: number } {
  if (text === null) return { found: false, replaceOrAdd: false };
  const lines = hostLines(text, host);
  if (lines.length === 0) return { found: false, replaceOrAdd: false };
  if (key === undefined) return { found: true, replaceOrAdd: false };
  const wanted = keyFields(key);
  for (const l of lines) {
    const have = keyFields(l.text);
    // A hashed entry is not hashed again: its salt stays.
    if (wanted.host.startsWith('|1|') && have.host.startsWith('|1|')) wanted.host = have.host;
    if (sameFields(wanted, have)) return { found: true, replaceOrAdd: false, foundLine: l.line };
    if (wanted.type === have.type) return { found: true, replaceOrAdd: true, foundLine: l.line };
  }
  return { found: true, replaceOrAdd: true };
}

/** Pure decision: the file as read, against the task; `salt` hashes a new entry's host field (hash_host). */
export function decideKnownHosts(a: KnownHostsArgs, file: HomeFile, salt: Buffer): Plan {
  const host = a.name.toLowerCase();
  if (!a.key && a.state !== 'absent') return { changes: [], failed: 'No key specified when adding a host' };
  let key = a.key && a.hash_host ? hashHost(host, a.key, salt) : a.key;
  if (key && !key.endsWith('\n')) key += '\n';
  if (key) {
    if (/\S+(\s+)?,(\s+)?/.test(host))
      return {
        changes: [],
        failed: 'Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.',
      };
    if (!entryMatches(keyFields(key).host, host))
      return { changes: [], failed: 'Host parameter does not match hashed host field in supplied key' };
  }
  const { found, replaceOrAdd, foundLine } = searchHostKey(file.content, host, key);
  const before = file.content ?? '';
  const lines = before.split(/(?<=\n)/).filter((l) => l !== '');
  if ((replaceOrAdd || a.state === 'absent') && foundLine !== undefined && foundLine >= 1 && foundLine <= lines.length)
    lines.splice(foundLine - 1, 1);
  if (a.state === 'present' && key && (replaceOrAdd || foundLine === undefined)) lines.push(key);
  const after = lines.join('');
  const data = { name: a.name, key: a.key ?? null, path: file.path, hash_host: a.hash_host, state: a.state };
  const diffs = [{ path: file.path, before, after }];
  if (a.state === 'absent' && foundLine === undefined && key) return { changes: [], data };
  if (!(replaceOrAdd || found !== (a.state === 'present'))) return { changes: [], data };
  const changes: Change[] = [];
  if (found && !key && a.state === 'absent')
    changes.push({
      kind: 'exec',
      command: commandLine(['ssh-keygen', '-R', host, '-f', file.path]),
      description: `remove ${host} from ${file.path}`,
    });
  else {
    if (!file.dirExists) return { changes: [], failed: `Failed to write to file ${file.path}: no folder ${posix.dirname(file.path)}` };
    changes.push({
      kind: 'write',
      file: { path: file.path, content: Buffer.from(after) },
      description: `${a.state === 'present' ? (replaceOrAdd && foundLine !== undefined ? 'replace' : 'add') : 'remove'} the key of ${host} in ${file.path}`,
    });
  }
  return { changes, diffs, data };
}

export const knownHosts = defineModule({
  name: 'known_hosts',
  schema,
  async plan({ args, reader }) {
    return decideKnownHosts(args, await reader.get(homeFile, { path: args.path }), randomBytes(20));
  },
});
