import { type FactCollector, fileContent, keyValues } from './collector.js';

/**
 * Ansible's selinux collector reads through libselinux: on a host without it, it says so instead
 * of a status, and that is what a role sees there.
 */
export const selinuxCollector: FactCollector = {
  name: 'selinux',
  facts: ['selinux', 'selinux_python_present'],
  script: () =>
    [
      // Ansible's own bindings load libselinux.so.1 (module_utils/compat/selinux.py).
      'sp=no; for d in /lib /usr/lib /lib64 /usr/lib64 /lib/*-linux-gnu /usr/lib/*-linux-gnu; do [ -e "$d/libselinux.so.1" ] && sp=yes; done; echo "bindings=$sp"',
      'if [ -r /sys/fs/selinux/enforce ]; then echo "enforce=$(cat /sys/fs/selinux/enforce)"; echo "policyvers=$(cat /sys/fs/selinux/policyvers 2>/dev/null)"; fi',
      "[ -r /etc/selinux/config ] && sed -n 's/^SELINUX=/config=/p; s/^SELINUXTYPE=/type=/p' /etc/selinux/config",
    ].join('\n'),
  parse: (text) => {
    const kv = keyValues(text);
    if (kv.get('bindings') !== 'yes') return { selinux: { status: 'Missing selinux Python library' }, selinux_python_present: false };
    const enforce = kv.get('enforce');
    if (enforce === undefined) return { selinux: { status: 'disabled' }, selinux_python_present: true };
    const policyvers = Number(kv.get('policyvers'));
    return {
      selinux: {
        status: 'enabled',
        policyvers: Number.isInteger(policyvers) && kv.get('policyvers') !== '' ? policyvers : 'unknown',
        config_mode: kv.get('config') ?? 'unknown',
        mode: enforce === '1' ? 'enforcing' : enforce === '0' ? 'permissive' : 'unknown',
        type: kv.get('type') ?? 'unknown',
      },
      selinux_python_present: true,
    };
  },
};

export const apparmorCollector: FactCollector = {
  name: 'apparmor',
  facts: ['apparmor'],
  script: () => '[ -e /sys/kernel/security/apparmor ] && echo enabled || echo disabled',
  parse: (text) => ({ apparmor: { status: text.trim() === 'enabled' ? 'enabled' : 'disabled' } }),
};

/** Ansible's PKG_MGRS, in its order: the last one present wins, then the family's default. */
const PKG_MGRS: readonly [string, string][] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'],
  ['/usr/bin/yum', 'yum'],
  ['/usr/bin/dnf', 'dnf'],
  ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'],
  ['/usr/sbin/urpmi', 'urpmi'],
  ['/usr/bin/pacman', 'pacman'],
  ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/pkgin', 'pkgin'],
  ['/opt/tools/bin/pkgin', 'pkgin'],
  ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'],
  ['/opt/homebrew/bin/brew', 'homebrew'],
  ['/sbin/apk', 'apk'],
  ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'],
  ['/usr/bin/emerge', 'portage'],
  ['/usr/sbin/pkgadd', 'svr4pkg'],
  ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'],
  ['/usr/local/sbin/pkg', 'pkgng'],
  ['/usr/bin/swupd', 'swupd'],
  ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'],
  ['/QOpenSys/pkgs/bin/yum', 'yum'],
];

export const pkgMgrCollector: FactCollector = {
  name: 'pkg_mgr',
  facts: ['pkg_mgr'],
  script: () => `for p in ${PKG_MGRS.map(([p]) => p).join(' ')}; do [ -e "$p" ] && echo "$p"; done`,
  parse: (text, collected) => {
    const present = new Set(text.split('\n').filter(Boolean));
    let name = 'unknown';
    for (const [path, mgr] of PKG_MGRS) if (present.has(path)) name = mgr;
    const family = collected.os_family;
    if (family === 'Debian' && name !== 'apt') name = 'apt';
    else if (family === 'RedHat' && name === 'yum' && present.has('/usr/bin/dnf')) name = 'dnf';
    return { pkg_mgr: name };
  },
};

/** Ansible's names for some PID 1 commands. */
const PROC_1_NAMES: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

export const serviceMgrCollector: FactCollector = {
  name: 'service_mgr',
  facts: ['service_mgr'],
  script: () =>
    [
      'echo "comm=$(cat /proc/1/comm 2>/dev/null)"',
      'echo "init=$(readlink /sbin/init 2>/dev/null)"',
      'command -v systemctl >/dev/null 2>&1 && echo systemctl=1',
      'for c in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$c" ] && echo canary=1; done',
      'command -v initctl >/dev/null 2>&1 && [ -e /etc/init/ ] && echo upstart=1',
      '[ -e /sbin/openrc ] && echo openrc=1',
      '[ -e /etc/init.d/ ] && echo initd=1',
    ].join('\n'),
  parse: (text, collected) => {
    const kv = keyValues(text);
    let proc1 = fileContent(kv.get('comm')) ?? fileContent(kv.get('init'));
    if (proc1 !== undefined) proc1 = proc1.replace(/^.*\//, '').trim();
    // "init" says nothing, and a shell as PID 1 is a container's.
    if (proc1 === 'init' || proc1?.endsWith('sh')) proc1 = undefined;
    if (proc1) return { service_mgr: PROC_1_NAMES[proc1] ?? proc1 };
    let name = 'service';
    if (collected.system === 'Linux') {
      const systemctl = kv.has('systemctl');
      if (systemctl && kv.has('canary')) name = 'systemd';
      else if (kv.has('upstart')) name = 'upstart';
      else if (kv.has('openrc')) name = 'openrc';
      else if (systemctl && /(^|\/)systemd$/.test(kv.get('init') ?? '')) name = 'systemd';
      else if (kv.has('initd')) name = 'sysvinit';
    }
    return { service_mgr: name };
  },
};
