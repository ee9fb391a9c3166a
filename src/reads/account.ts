import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type Passwd = { name: string; uid: number; gid: number; comment: string; home: string; shell: string };

export type UserAccountArgs = { name: string; groups?: string[]; keyFile?: string };

export type UserAccount = {
  /** The passwd entry; null when there is no such user. */
  user: (Passwd & { password: string; group: string; groups: string[]; keyFileExists?: boolean }) | null;
  /** Of the groups asked about, which exist (name to gid). */
  groups: Record<string, number>;
};

function passwdOf(line: string): Passwd | undefined {
  const [name, , uid, gid, comment, home, shell] = line.split(':');
  if (name === undefined || shell === undefined) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), comment: comment ?? '', home: home ?? '', shell };
}

/**
 * A user as the user module needs it: passwd entry, password hash, primary group name,
 * supplementary groups; which of the named groups exist; whether its ssh key file exists.
 */
export const userAccount = defineRead({
  name: 'user_account',
  command({ name, groups = [], keyFile }: UserAccountArgs): string {
    const n = quote(name);
    const lines = [
      `if e=$(getent passwd ${n}); then echo "passwd=$e"; echo "shadow=$(getent shadow ${n} | cut -d: -f2)"`,
      `  echo "primary=$(getent group "$(echo "$e" | cut -d: -f4)" | cut -d: -f1)"`,
      `  echo "groups=$(getent group | awk -F: -v u=${n} '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) { print $1; break } }' | paste -sd, -)"`,
      keyFile === undefined
        ? ''
        : `  h=$(echo "$e" | cut -d: -f6); case ${quote(keyFile)} in /*) k=${quote(keyFile)};; *) k="$h"/${quote(keyFile)};; esac; [ -e "$k" ] && echo key=yes`,
      'fi',
      ...groups.map((g) => `g=$(getent group ${quote(g)}) && echo "group=$g"`),
    ];
    return lines.filter(Boolean).join('\n');
  },
  parse({ stdout }, { keyFile }): UserAccount {
    const out: UserAccount = { user: null, groups: {} };
    const kv = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
      if (k === 'group') {
        const [gname, , gid] = v.split(':');
        if (gname !== undefined) out.groups[gname] = Number(gid);
      } else kv.set(k, v);
    }
    const entry = passwdOf(kv.get('passwd') ?? '');
    if (entry) {
      const groups = (kv.get('groups') ?? '').split(',').filter(Boolean);
      out.user = { ...entry, password: kv.get('shadow') ?? '', group: kv.get('primary') ?? '', groups };
      if (keyFile !== undefined) out.user.keyFileExists = kv.get('key') === 'yes';
    }
    return out;
  },
});

export type GroupEntryArgs = { name: string };
export type GroupEntry = { gid: number; members: string[] } | null;

/** A group's gid and members; null when there is no such group. */
export const groupEntry = defineRead({
  name: 'group_entry',
  command: ({ name }: GroupEntryArgs) => `getent group ${quote(name)} || true`,
  parse({ stdout }): GroupEntry {
    const [, , gid, members = ''] = stdout.trim().split(':');
    if (gid === undefined) return null;
    return { gid: Number(gid), members: members.split(',').filter(Boolean) };
  },
});
