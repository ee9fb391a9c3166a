import type { Change } from '../core/plan.js';
import type { DirEntry } from '../reads/dir-entries.js';
import { commandLine } from '../shell/quote.js';
import { normalizeMode, resolveMode } from './mode.js';

export interface RecurseArgs {
  path: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  follow: boolean;
}

type Attrs = { mode: string; pw_name: string; gr_name: string; uid: number; gid: number; type: DirEntry['type'] };

/**
 * recurse: mode, owner and group on everything under the folder, as Ansible's
 * recursive_set_attributes does. A link gets owner and group itself (lchown); with follow (the
 * default) what it points to gets all three, and a linked folder's contents too. `linked` is the
 * listing with links followed (find -L): a link's path there carries its target's attributes.
 * One chmod per distinct mode and one chown per owner spec, however many paths.
 */
export function recursiveChanges(a: RecurseArgs, entries: readonly DirEntry[], linked: readonly DirEntry[] = []): Change[] {
  const want = normalizeMode(a.mode);
  const chmods = new Map<string, string[]>();
  const chowns = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, path: string) => map.set(key, [...(map.get(key) ?? []), path]);
  const ownerSpec = (e: Attrs) => {
    const ownerDiffers = a.owner && e.pw_name !== a.owner && String(e.uid) !== a.owner;
    const groupDiffers = a.group && e.gr_name !== a.group && String(e.gid) !== a.group;
    return ownerDiffers || groupDiffers ? `${ownerDiffers ? a.owner : ''}${groupDiffers ? `:${a.group}` : ''}` : undefined;
  };
  const setOn = (e: Attrs, path: string, noDeref: boolean) => {
    const mode = want && e.type !== 'link' ? resolveMode(want, e.mode, e.type === 'directory') : undefined;
    if (mode && mode !== e.mode) add(chmods, mode, path);
    const spec = ownerSpec(e);
    if (spec) add(chowns, `${noDeref ? '-h ' : ''}${spec}`, path);
  };
  const own = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) setOn(e, e.path, true);
  if (a.follow) {
    // What links lead to: a link's target (found under the link's path) and what is under a linked folder.
    const underLink = (p: string) => entries.some((e) => e.type === 'link' && p.startsWith(`${e.path}/`));
    for (const t of linked) {
      const self = own.get(t.path);
      if (t.type !== 'link' && ((self && self.type === 'link') || (!self && underLink(t.path)))) setOn(t, t.path, false);
    }
  }
  const under = (n: number) => `${n} path${n === 1 ? '' : 's'} under ${a.path}`;
  return [
    ...[...chmods].map(([mode, paths]) => ({
      kind: 'exec' as const,
      command: commandLine(['chmod', mode, '--', ...paths]),
      description: `mode ${mode} on ${under(paths.length)}`,
    })),
    ...[...chowns].map(([key, paths]) => {
      const [flag, spec] = key.startsWith('-h ') ? [['-h'], key.slice(3)] : [[], key];
      return {
        kind: 'exec' as const,
        command: commandLine(['chown', ...flag, spec, '--', ...paths]),
        description: `owner ${spec} on ${under(paths.length)}${flag.length ? '' : ' (through links)'}`,
      };
    }),
  ];
}
