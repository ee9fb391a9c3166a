import { type FactCollector, type Facts, fileContent, keyValues } from './collector.js';

/** The interpreter Ansible discovers on Debian first; python_version is its version. */
export const PYTHON_PROBE =
  'for p in /usr/bin/python3 python3; do if command -v "$p" >/dev/null 2>&1; then py=$(command -v "$p"); break; fi; done';

/** Ansible's platform collector: uname, the names, the machine id. */
export const platformCollector: FactCollector = {
  name: 'platform',
  facts: [
    'system',
    'kernel',
    'kernel_version',
    'machine',
    'python_version',
    'fqdn',
    'hostname',
    'nodename',
    'domain',
    'userspace_bits',
    'architecture',
    'userspace_architecture',
    'machine_id',
  ],
  script: () =>
    [
      'echo "system=$(uname -s)"; echo "kernel=$(uname -r)"; echo "kernel_version=$(uname -v)"; echo "machine=$(uname -m)"; echo "node=$(uname -n)"',
      'echo "bits=$(getconf LONG_BIT 2>/dev/null)"',
      `py=; ${PYTHON_PROBE}; [ -n "$py" ] && echo "python=$("$py" --version 2>&1)"`,
      // socket.getfqdn(): the name's first address, then the names that address has.
      'a=$(getent ahosts "$(uname -n)" 2>/dev/null | awk \'NR == 1 { print $1 }\'); [ -n "$a" ] && echo "byaddr=$(getent hosts "$a" 2>/dev/null | head -n 1)"',
      'm=$(cat /var/lib/dbus/machine-id 2>/dev/null); [ -n "$m" ] || m=$(cat /etc/machine-id 2>/dev/null); echo "machine_id=$(printf \'%s\\n\' "$m" | head -n 1)"',
    ].join('\n'),
  parse: (text) => parsePlatform(keyValues(text)),
};

function parsePlatform(kv: Map<string, string>): Facts {
  const node = kv.get('node') ?? '';
  const fqdn = fqdnOf(node, kv.get('byaddr'));
  const machine = kv.get('machine') ?? '';
  const bits = kv.get('bits') ?? '';
  const facts: Facts = {
    system: kv.get('system') ?? '',
    kernel: kv.get('kernel') ?? '',
    kernel_version: kv.get('kernel_version') ?? '',
    machine,
    python_version: (kv.get('python') ?? '').replace(/^Python\s+/, ''),
    fqdn,
    hostname: node.split('.')[0] ?? '',
    nodename: node,
    domain: fqdn.split('.').slice(1).join('.'),
    userspace_bits: bits,
    architecture: machine,
  };
  if (machine === 'x86_64' && (bits === '64' || bits === '32')) facts.userspace_architecture = bits === '64' ? 'x86_64' : 'i386';
  const machineId = fileContent(kv.get('machine_id'));
  if (machineId) facts.machine_id = machineId;
  if (!kv.has('python')) delete facts.python_version;
  return facts;
}

/** Python's socket.getfqdn: the first of the address's names that holds a dot, else its first name, else the node name. */
function fqdnOf(node: string, byAddr: string | undefined): string {
  const names = (byAddr ?? '').trim().split(/\s+/).slice(1);
  if (names.length === 0) return node;
  return names.find((n) => n.includes('.')) ?? names[0] ?? node;
}
