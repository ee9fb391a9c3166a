import type { ReadValue } from '../../core/reads.js';
import { type FactCollector, type Facts, fileContent, subParts } from './collector.js';

/** Ansible's small collectors of the minimal set and of `all`: each one a file or two. */
export const dnsCollector: FactCollector = {
  name: 'dns',
  facts: ['dns'],
  script: () => 'cat /etc/resolv.conf 2>/dev/null',
  parse: (text) => {
    const dns: { [k: string]: ReadValue } = {};
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
      const [key, ...rest] = line.trim().split(/\s+/);
      if (key === 'nameserver') dns.nameservers = [...((dns.nameservers as string[] | undefined) ?? []), ...rest];
      else if (key === 'domain' && rest[0] !== undefined) dns.domain = rest[0];
      else if (key === 'search' || key === 'sortlist') dns[key] = rest;
      else if (key === 'options') {
        const options: Record<string, string | boolean> = {};
        for (const o of rest) {
          const [name = '', value] = o.split(/:(.*)/s);
          options[name] = value ? value : true;
        }
        dns.options = options;
      }
    }
    return { dns };
  },
};

export const cmdlineCollector: FactCollector = {
  name: 'cmdline',
  facts: ['cmdline', 'proc_cmdline'],
  script: () => 'cat /proc/cmdline 2>/dev/null',
  parse: (text): Facts => {
    const data = fileContent(text);
    if (!data) return {};
    // shlex.split(posix=False): a word that starts with a quote runs to the closing quote, quotes kept.
    const pieces = data.match(/(["'])[\s\S]*?\1|\S+/g) ?? [];
    const cmdline: Record<string, string | boolean> = {};
    const proc: Record<string, ReadValue> = {};
    for (const piece of pieces) {
      const eq = piece.indexOf('=');
      if (eq < 0) {
        cmdline[piece] = true;
        proc[piece] = true;
        continue;
      }
      const [k, v] = [piece.slice(0, eq), piece.slice(eq + 1)];
      cmdline[k] = v;
      const had = proc[k];
      proc[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    return { cmdline, proc_cmdline: proc };
  },
};

export const fipsCollector: FactCollector = {
  name: 'fips',
  facts: ['fips'],
  script: () => 'cat /proc/sys/crypto/fips_enabled 2>/dev/null',
  parse: (text) => ({ fips: fileContent(text) === '1' }),
};

export const loadavgCollector: FactCollector = {
  name: 'loadavg',
  facts: ['loadavg'],
  script: () => 'cat /proc/loadavg 2>/dev/null',
  parse: (text): Facts => {
    const [one, five, fifteen] = text.trim().split(/\s+/).map(Number);
    return one === undefined || Number.isNaN(one) ? {} : { loadavg: { '1m': one, '5m': five ?? 0, '15m': fifteen ?? 0 } };
  },
};

export const chrootCollector: FactCollector = {
  name: 'chroot',
  facts: ['is_chroot'],
  script: () =>
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion
      'echo "debian_chroot=${debian_chroot:-}"',
      'echo "root=$(stat -c \'%i %d\' / 2>/dev/null)"; echo "proc1=$(stat -c \'%i %d\' /proc/1/root/. 2>/dev/null)"',
      'echo "fstype=$(stat -f -c %T / 2>/dev/null)"',
    ].join('\n'),
  parse: (text) => {
    const kv = new Map(text.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
    if (kv.get('debian_chroot')) return { is_chroot: true };
    const root = kv.get('root') ?? '';
    const proc1 = kv.get('proc1') ?? '';
    if (proc1) return { is_chroot: root !== proc1 };
    const fs = kv.get('fstype') ?? '';
    const rootInode = fs.includes('btrfs') ? 256 : fs.includes('xfs') ? 128 : 2;
    return { is_chroot: Number(root.split(' ')[0]) !== rootInode };
  },
};

const SSH_KEY_DIRS = ['/etc/ssh', '/etc/openssh', '/etc'];
const SSH_ALGOS = ['dsa', 'rsa', 'ecdsa', 'ed25519'];

export const sshPubKeysCollector: FactCollector = {
  name: 'ssh_pub_keys',
  facts: SSH_ALGOS.flatMap((a) => [`ssh_host_key_${a}_public`, `ssh_host_key_${a}_public_keytype`]),
  script: () =>
    `for d in ${SSH_KEY_DIRS.join(' ')}; do for a in ${SSH_ALGOS.join(' ')}; do f=$d/ssh_host_\${a}_key.pub; [ -r "$f" ] && { echo "::$d/$a"; head -c 65536 "$f"; echo; }; done; done`,
  parse: (text) => {
    const parts = subParts(text);
    const facts: Facts = {};
    for (const dir of SSH_KEY_DIRS) {
      // The first directory with keys is the one used.
      if (Object.keys(facts).length > 0) break;
      for (const algo of SSH_ALGOS) {
        const data = fileContent(parts.get(`${dir}/${algo}`));
        if (data === undefined) continue;
        const [keytype = '', key = ''] = data.split(/\s+/);
        facts[`ssh_host_key_${algo}_public`] = key;
        facts[`ssh_host_key_${algo}_public_keytype`] = keytype;
      }
    }
    return facts;
  },
};

/** Local facts (fact_path, /etc/ansible/facts.d by default): JSON files are read; none gives {}. */
export const localCollector: FactCollector = {
  name: 'local',
  facts: ['local'],
  script: () =>
    'd=/etc/ansible/facts.d; [ -d "$d" ] && for f in "$d"/*.fact; do [ -f "$f" ] || continue; echo "::local/$(basename "$f" .fact)"; if [ -x "$f" ]; then "$f" 2>/dev/null; else cat "$f"; fi; echo; done',
  parse: (text) => {
    const local: { [k: string]: ReadValue } = {};
    for (const [name, body] of subParts(text)) {
      if (!name.startsWith('local/')) continue;
      try {
        local[name.slice(6)] = JSON.parse(body) as ReadValue;
      } catch (err) {
        // Ansible keeps a fact file it cannot read, as a message in its place.
        local[name.slice(6)] = `error loading facts as JSON or ini - please check content: ${(err as Error).name}`;
      }
    }
    return { local };
  },
};

export const capsCollector: FactCollector = {
  name: 'caps',
  facts: ['system_capabilities_enforced', 'system_capabilities'],
  script: () => 'command -v capsh >/dev/null 2>&1 && capsh --print 2>/dev/null',
  parse: (text) => {
    if (text.trim() === '') return { system_capabilities_enforced: 'N/A', system_capabilities: 'N/A' };
    let enforced = 'NA';
    let caps: string[] = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('Current:')) continue;
      if ((line.split(':')[1] ?? '').trim() === '=ep') enforced = 'False';
      else {
        enforced = 'True';
        caps = (line.split('=')[1] ?? '').split(',').map((c) => c.trim());
      }
    }
    return { system_capabilities_enforced: enforced, system_capabilities: caps };
  },
};

/** The storage initiators' names: iSCSI's, NVMe's, Fibre Channel's port names. */
export const iscsiCollector: FactCollector = {
  name: 'iscsi',
  facts: ['iscsi_iqn'],
  script: () => 'cat /etc/iscsi/initiatorname.iscsi 2>/dev/null',
  parse: (text) => {
    const line = text.split('\n').find((l) => !l.startsWith('#') && !l.startsWith(';') && l.startsWith('InitiatorName='));
    return { iscsi_iqn: line ? line.slice(line.indexOf('=') + 1) : '' };
  },
};

export const nvmeCollector: FactCollector = {
  name: 'nvme',
  facts: ['hostnqn'],
  script: () => 'cat /etc/nvme/hostnqn 2>/dev/null',
  parse: (text) => ({ hostnqn: text.split('\n').find((l) => l.startsWith('nqn.')) ?? '' }),
};

export const fibreChannelCollector: FactCollector = {
  name: 'fibre_channel_wwn',
  facts: ['fibre_channel_wwn'],
  script: () => 'cat /sys/class/fc_host/*/port_name 2>/dev/null',
  parse: (text) => ({
    fibre_channel_wwn: text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.trimEnd().slice(2)),
  }),
};
