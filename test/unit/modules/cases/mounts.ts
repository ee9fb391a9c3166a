import type { Case } from '../case.js';
import { read, stat } from '../fake-reader.js';

const FSTAB = '# /etc/fstab: static file system information.\nproc /proc proc defaults 0 0\n';
const TMPFS = 'tmpfs /srv/cache tmpfs size=16m,mode=0755 0 0\n';
const fstab = (content: string) => stat('/etc/fstab', { content: true }, { content });
const mounted = (value: unknown) => read('mount_point', { path: '/srv/cache' }, value as never);
const tmpfsMounted = mounted({ source: 'tmpfs', fstype: 'tmpfs', options: 'rw,relatime', root: '/' });
const point = (there: boolean) => stat('/srv/cache', {}, there ? { type: 'directory' } : 'absent');
const cache = { path: '/srv/cache', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=16m,mode=0755' };

export const mountCases: Case[] = [
  {
    name: 'mount mounted: the mount point made, the entry appended to fstab, then mounted',
    module: 'ansible.posix.mount',
    args: { ...cache, state: 'mounted' },
    reads: [fstab(FSTAB), mounted(null), point(false)],
    roundTrips: 1,
    changes: ['create directory /srv/cache', 'update /etc/fstab', 'mount /srv/cache'],
    writes: FSTAB + TMPFS,
    data: { name: '/srv/cache', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=16m,mode=0755', dump: '0', passno: '0', boot: 'yes' },
  },
  {
    name: 'mount twin: in fstab and mounted',
    module: 'ansible.posix.mount',
    args: { ...cache, state: 'mounted' },
    reads: [fstab(FSTAB + TMPFS), tmpfsMounted, point(true)],
    changes: [],
  },
  {
    name: 'mount mounted with other options: fstab rewritten in place, then remounted',
    module: 'mount',
    args: { ...cache, opts: 'size=32m', state: 'mounted' },
    reads: [fstab(FSTAB + TMPFS), tmpfsMounted, point(true)],
    changes: ['update /etc/fstab', 'remount /srv/cache'],
    writes: `${FSTAB}tmpfs /srv/cache tmpfs size=32m 0 0\n`,
  },
  {
    name: 'mount twin: the new options in fstab and mounted',
    module: 'mount',
    args: { ...cache, opts: 'size=32m', state: 'mounted' },
    reads: [fstab(`${FSTAB}tmpfs /srv/cache tmpfs size=32m 0 0\n`), tmpfsMounted, point(true)],
    changes: [],
  },
  {
    name: 'mount present in check mode: the same reads, the fstab change reported (boot: no adds noauto)',
    module: 'mount',
    check: true,
    args: { ...cache, boot: false, state: 'present' },
    reads: [fstab(FSTAB), mounted(null), point(false)],
    changes: ['update /etc/fstab'],
    writes: `${FSTAB}tmpfs /srv/cache tmpfs size=16m,mode=0755,noauto 0 0\n`,
  },
  {
    name: 'mount twin: present, the noauto entry there',
    module: 'mount',
    check: true,
    args: { ...cache, boot: false, state: 'present' },
    reads: [fstab(`${FSTAB}tmpfs /srv/cache tmpfs size=16m,mode=0755,noauto 0 0\n`), mounted(null), point(false)],
    changes: [],
  },
  {
    name: 'mount unmounted: umount, fstab untouched',
    module: 'mount',
    args: { path: '/srv/cache', state: 'unmounted' },
    reads: [fstab(FSTAB + TMPFS), tmpfsMounted, point(true)],
    changes: ['unmount /srv/cache'],
  },
  {
    name: 'mount twin: nothing mounted there',
    module: 'mount',
    args: { path: '/srv/cache', state: 'unmounted' },
    reads: [fstab(FSTAB + TMPFS), mounted(null), point(true)],
    changes: [],
  },
  {
    name: 'mount absent: the entry goes, the path is unmounted and its folder removed',
    module: 'mount',
    args: { path: '/srv/cache', state: 'absent' },
    reads: [fstab(FSTAB + TMPFS), tmpfsMounted, point(true)],
    changes: ['update /etc/fstab', 'unmount /srv/cache', 'remove the mount point /srv/cache'],
    writes: FSTAB,
  },
  {
    name: 'mount twin: absent, no entry',
    module: 'mount',
    args: { path: '/srv/cache', state: 'absent' },
    reads: [fstab(FSTAB), mounted(null), point(false)],
    changes: [],
  },
  {
    name: 'mount remounted always remounts, as Ansible',
    module: 'mount',
    args: { path: '/srv/cache', state: 'remounted' },
    reads: [fstab(FSTAB + TMPFS), tmpfsMounted, point(true)],
    alwaysChanges: 'Ansible reports remounted as changed every time',
    changes: ['remount /srv/cache'],
  },
  {
    name: 'mount mounted without fstype is refused at load',
    module: 'mount',
    args: { path: '/srv/cache', src: 'tmpfs', state: 'mounted' },
    reads: [],
    failed: /need src and fstype/,
  },
];
