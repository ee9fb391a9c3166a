import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { type UserAccount, userAccount } from '../reads/account.js';
import { commandLine, quote } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

/** Ansible takes a list or a comma-separated string; '' means no supplementary groups. */
const groupList = z
  .union([z.string(), z.array(z.string())])
  .transform((g) => (Array.isArray(g) ? g : g.split(',')).map((x) => x.trim()).filter(Boolean));

const schema = withAliases(
  {
    name: z.string().min(1).describe('the user name'),
    state: z.enum(['present', 'absent']).default('present'),
    uid: z.coerce.number().int().min(0).optional(),
    group: z.string().min(1).optional().describe('primary group (name)'),
    groups: groupList.optional().describe('supplementary groups: all of them, or with append those to add'),
    append: yesNo.default(false).describe('add to groups, leave the others'),
    comment: z.string().optional().describe('the GECOS field'),
    home: z.string().regex(/^\//, 'an absolute path').optional(),
    shell: z.string().min(1).optional(),
    password: z.string().optional().describe('the password hash as in /etc/shadow (crypt), never a clear text'),
    update_password: z.enum(['always', 'on_create']).default('always'),
    system: yesNo.default(false).describe('a system account (only when it is created)'),
    create_home: yesNo.default(true).describe('make the home directory when the user is created'),
    move_home: yesNo.default(false).describe('move the old home to a new home'),
    remove: yesNo.default(false).describe('with state=absent: remove the home directory and mail spool'),
    force: yesNo.default(false).describe('with state=absent: remove even when the user is logged in'),
    non_unique: yesNo.default(false).describe('allow a uid another user has'),
    generate_ssh_key: yesNo.default(false).describe('make an ssh key pair unless the key file exists'),
    ssh_key_type: z.string().default('rsa'),
    ssh_key_bits: z.coerce.number().int().positive().optional(),
    ssh_key_file: z.string().optional().describe('relative to the home directory; default .ssh/id_TYPE'),
    ssh_key_comment: z.string().optional().describe('default "ansible-generated on HOSTNAME"'),
    ssh_key_passphrase: z.string().optional(),
  },
  { createhome: 'create_home' },
);
export type UserArgs = z.infer<typeof schema>;

function keyFileOf(a: UserArgs): string | undefined {
  return a.generate_ssh_key ? (a.ssh_key_file ?? `.ssh/id_${a.ssh_key_type}`) : undefined;
}

/** Ansible's result keys, from the arguments and what the host had (a new user's uid is the host's to choose). */
function resultData(a: UserArgs, found: UserAccount['user']): Record<string, unknown> {
  if (a.state === 'absent') return { name: a.name, state: 'absent', ...(found ? { remove: a.remove, force: a.force } : {}) };
  const data: Record<string, unknown> = {
    name: a.name,
    state: 'present',
    uid: a.uid ?? found?.uid,
    group: found?.gid,
    comment: a.comment ?? found?.comment ?? '',
    home: a.home ?? found?.home ?? `/home/${a.name}`,
    shell: a.shell ?? found?.shell ?? '/bin/sh',
  };
  if (a.groups !== undefined) data.groups = a.groups.join(',');
  if (a.password !== undefined) data.password = 'NOT_LOGGING_PASSWORD';
  if (found) Object.assign(data, { append: a.append, move_home: a.move_home });
  else Object.assign(data, { system: a.system, create_home: a.create_home });
  return data;
}

function missingGroups(a: UserArgs, acc: UserAccount): string[] {
  return [...(a.group ? [a.group] : []), ...(a.groups ?? [])].filter((g) => !(g in acc.groups));
}

/** Pure decision: useradd, usermod or userdel, with only the options that differ. */
export function decideUser(a: UserArgs, acc: UserAccount, check = false): Plan {
  const u = acc.user;
  const data = resultData(a, u);
  const run = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });
  if (a.state === 'absent') {
    if (!u) return { changes: [], data, msg: 'no such user' };
    return { changes: [run(['userdel', ...(a.remove ? ['-r'] : []), ...(a.force ? ['-f'] : []), a.name], `remove user ${a.name}`)], data };
  }
  // Ansible's check mode reports a user it would create as changed before it looks at the groups.
  const missing = check && !u ? [] : missingGroups(a, acc);
  if (missing.length) return { changes: [], data, failed: `Group ${missing.join(', ')} does not exist` };
  const changes: Change[] = [];
  if (!u) {
    const argv = ['useradd'];
    if (a.uid !== undefined) argv.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
    if (a.group) argv.push('-g', a.group);
    // A group named as the user already there: useradd would fail to make it (USERGROUPS_ENAB), so join it.
    else if (a.name in acc.groups) argv.push('-g', a.name);
    if (a.groups?.length) argv.push('-G', a.groups.join(','));
    if (a.comment !== undefined) argv.push('-c', a.comment);
    if (a.home) argv.push('-d', a.home);
    if (a.shell) argv.push('-s', a.shell);
    if (a.password !== undefined) argv.push('-p', a.password);
    if (a.system) argv.push('-r');
    argv.push(a.create_home ? '-m' : '-M', a.name);
    changes.push(run(argv, `create user ${a.name}`));
  } else {
    const argv: string[] = [];
    const what: string[] = [];
    const set = (flag: string, value: string, label: string) => {
      argv.push(flag, value);
      what.push(label);
    };
    if (a.uid !== undefined && a.uid !== u.uid) {
      set('-u', String(a.uid), `uid ${u.uid} -> ${a.uid}`);
      if (a.non_unique) argv.push('-o');
    }
    if (a.group && a.group !== u.group && String(acc.groups[a.group]) !== String(u.gid))
      set('-g', a.group, `group ${u.group} -> ${a.group}`);
    if (a.groups !== undefined) {
      const want = a.groups.filter((g) => g !== u.group);
      const have = u.groups;
      const differs = a.append ? want.some((g) => !have.includes(g)) : want.length !== have.length || want.some((g) => !have.includes(g));
      if (differs) {
        if (a.append) argv.push('-a');
        set(
          '-G',
          want.join(','),
          `groups ${have.join(',') || '(none)'} -> ${a.append ? [...new Set([...have, ...want])].join(',') : want.join(',') || '(none)'}`,
        );
      }
    }
    if (a.comment !== undefined && a.comment !== u.comment) set('-c', a.comment, 'comment');
    if (a.home && a.home !== u.home) {
      set('-d', a.home, `home ${u.home} -> ${a.home}`);
      if (a.move_home) argv.push('-m');
    }
    if (a.shell && a.shell !== u.shell) set('-s', a.shell, `shell ${u.shell} -> ${a.shell}`);
    if (a.password !== undefined && a.update_password === 'always' && a.password !== u.password) set('-p', a.password, 'password');
    if (argv.length) changes.push(run(['usermod', ...argv, a.name], `change user ${a.name}: ${what.join(', ')}`));
  }
  const keyFile = keyFileOf(a);
  if (keyFile && !u?.keyFileExists) changes.push(...keyChanges(a, keyFile));
  return { changes, data, msg: changes.length ? undefined : 'user in the wanted state' };
}

/** ssh-keygen as Ansible runs it (as root, then the files given to the user), into a .ssh made 0700 first. */
function keyChanges(a: UserArgs, keyFile: string): Change[] {
  const name = quote(a.name);
  const comment = a.ssh_key_comment === undefined ? '"ansible-generated on $(hostname)"' : quote(a.ssh_key_comment);
  const keygen = `${commandLine(['ssh-keygen', '-q', '-t', a.ssh_key_type, ...(a.ssh_key_bits ? ['-b', String(a.ssh_key_bits)] : [])])} -C ${comment}`;
  // A new user's home is only known on the host, once useradd ran: the path is found there.
  const path = keyFile.startsWith('/') ? `k=${quote(keyFile)}` : `k="$(getent passwd ${name} | cut -d: -f6)"/${quote(keyFile)}`;
  return [
    {
      kind: 'exec',
      command: [
        'set -e',
        path,
        `g=$(id -g ${name})`,
        `install -d -m 0700 -o ${name} -g "$g" "$(dirname -- "$k")"`,
        `${keygen} -N ${quote(a.ssh_key_passphrase ?? '')} -f "$k"`,
        `chown ${name}:"$g" "$k" "$k.pub"`,
      ].join('\n'),
      description: `generate ssh key ${keyFile} for ${a.name}`,
    },
  ];
}

export const user = defineModule({
  name: 'user',
  schema,
  async plan({ args, reader, check }) {
    const names = [...(args.group ? [args.group] : []), ...(args.groups ?? []), ...(args.state === 'present' ? [args.name] : [])];
    const acc = await reader.get(userAccount, { name: args.name, groups: [...new Set(names)], keyFile: keyFileOf(args) });
    return decideUser(args, acc, check);
  },
  // useradd picks the uid, the group and what the host's defaults give: Ansible reports them.
  async resultAfterApply({ args, reader }) {
    if (args.state === 'absent') return {};
    const u = (await reader.get(userAccount, { name: args.name, groups: [] })).user;
    return u ? { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell } : {};
  },
});
