import type { ReadValue } from '../../core/reads.js';
import { must } from '../../errors.js';
import { type FactCollector, type Facts, fileContent, type GatherOptions, keyValues, subParts } from './collector.js';

/** cpuinfo keys whose lines each name one logical CPU (or part of its name); their values make the `processor` fact. */
const PROCESSOR_KEYS = ['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'];

/** The x86 topology as cpuinfo states it, read line after line: the socket and core the lines are at, and what each says. */
type TopologyScan = {
  socket: string;
  core: string;
  readonly coresPerSocket: Map<string, number>;
  readonly siblingsPerCore: Map<string, number>;
};

/**
 * What each topology line does to the scan. `physical id` starts a socket and `core id` a core,
 * counted as one until `cpu cores` / `siblings` say more. A Map, not an object: cpuinfo keys are
 * the host's text and must not reach Object.prototype.
 */
const TOPOLOGY_LINES = new Map<string, (scan: TopologyScan, value: string) => void>([
  [
    'physical id',
    (scan, id) => {
      scan.socket = id;
      if (!scan.coresPerSocket.has(id)) scan.coresPerSocket.set(id, 1);
    },
  ],
  [
    'core id',
    (scan, id) => {
      scan.core = id;
      // Whether the core starts afresh at one thread is decided by the sockets seen, not the cores,
      // as in Ansible: kept, it decides the thread count.
      if (!scan.coresPerSocket.has(id)) scan.siblingsPerCore.set(id, 1);
    },
  ],
  ['cpu cores', (scan, n) => scan.coresPerSocket.set(scan.socket, Number.parseInt(n, 10))],
  ['siblings', (scan, n) => scan.siblingsPerCore.set(scan.core, Number.parseInt(n, 10))],
]);

/** s390x states its processor count (it has no topology lines); SPARC states the number of CPUs active. */
const STATED_PROCESSORS = '# processors';
const STATED_ACTIVE = 'ncpus active';

/** The /proc/cpuinfo lines the script keeps (its grep), in the order the recorded command has them. */
const CPU_KEYS = [...PROCESSOR_KEYS, ...TOPOLOGY_LINES.keys(), STATED_PROCESSORS, STATED_ACTIVE];

const DMI_DIR = '/sys/devices/virtual/dmi/id';
/** Ansible's DMI facts and the sysfs file of each (chassis_type is a number: the form factor). */
const DMI_FILES: Record<string, string> = {
  bios_date: 'bios_date',
  bios_vendor: 'bios_vendor',
  bios_version: 'bios_version',
  board_asset_tag: 'board_asset_tag',
  board_name: 'board_name',
  board_serial: 'board_serial',
  board_vendor: 'board_vendor',
  board_version: 'board_version',
  chassis_asset_tag: 'chassis_asset_tag',
  chassis_serial: 'chassis_serial',
  chassis_vendor: 'chassis_vendor',
  chassis_version: 'chassis_version',
  form_factor: 'chassis_type',
  product_name: 'product_name',
  product_serial: 'product_serial',
  product_uuid: 'product_uuid',
  product_version: 'product_version',
  system_vendor: 'sys_vendor',
};
/**
 * Ansible's Linux hardware collector, for what roles read: processors, memory, uptime and mounts
 * and DMI (block devices and LVM's volumes are not gathered). gather_timeout bounds each mount's statvfs, as in Ansible.
 */
export const hardwareCollector: FactCollector = {
  name: 'hardware',
  facts: [
    ...['processor', 'processor_count', 'processor_cores', 'processor_threads_per_core', 'processor_vcpus', 'processor_nproc'],
    ...['memtotal_mb', 'memfree_mb', 'swaptotal_mb', 'swapfree_mb', 'memory_mb', 'uptime_seconds', 'lvm', 'mounts'],
    ...Object.keys(DMI_FILES),
    // Ansible's, not gathered by provision: reading them asks for no more than the hardware collector.
    'devices',
    'device_links',
  ],
  script: (o) => hardwareScript(o),
  parse: (text, collected) => parseHardware(subParts(text), collected),
};

function hardwareScript(o: GatherOptions): string {
  const cpuKeys = CPU_KEYS.map((k) => k.replace(/ /g, '[[:space:]]')).join('|');
  return [
    "echo ::meminfo; grep -E '^(MemTotal|SwapTotal|MemFree|SwapFree|Buffers|Cached|SwapCached):' /proc/meminfo 2>/dev/null",
    `echo ::cpuinfo; grep -E '^(${cpuKeys})[[:space:]]*:' /proc/cpuinfo 2>/dev/null`,
    // Xen paravirt hides the vme flag: Ansible counts its processors another way.
    'echo ::xen; if [ -e /proc/xen ] || [ "$(head -n 1 /sys/hypervisor/type 2>/dev/null)" = xen ]; then grep "^flags" /proc/cpuinfo | grep -qv " vme" && echo paravirt || echo hvm; fi',
    'echo ::nproc; nproc 2>/dev/null',
    `echo ::dmi; if [ -e ${DMI_DIR}/product_name ]; then for f in ${Object.values(DMI_FILES).join(' ')}; do echo "$f=$(cat ${DMI_DIR}/$f 2>/dev/null)"; done; elif command -v dmidecode >/dev/null 2>&1; then echo dmidecode=1; for k in ${Object.values(DMIDECODE_KEYS).join(' ')}; do v=$(dmidecode -s $k 2>/dev/null) && echo "$k=$(printf '%s\\n' "$v" | grep -v '^#' | tr -d '\\n')"; done; fi`,
    '[ "$(id -u)" = 0 ] && command -v vgs >/dev/null 2>&1 && echo ::lvm',
    'echo ::uptime; cat /proc/uptime 2>/dev/null',
    'echo ::mtab; cat /etc/mtab 2>/dev/null || cat /proc/mounts 2>/dev/null',
    'echo ::findmnt; findmnt --list --noheadings --notruncate 2>/dev/null',
    'echo ::lsblk; lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null',
    'echo ::udev; command -v udevadm >/dev/null 2>&1 && awk \'$1 ~ /^\\// { print $1 }\' /proc/mounts | sort -u | while read -r d; do echo "$d $(udevadm info --query property --name "$d" 2>/dev/null | sed -n \'s/^ID_FS_UUID=//p\')"; done',
    // statvfs per mount, each bounded by gather_timeout (exit 124: it timed out).
    `echo ::sizes; while read -r dev mnt fs _; do case "$dev" in /*|\\\\*|*:/*) ;; *) continue;; esac; [ "$fs" = none ] && continue; p=$(printf '%b' "$(printf '%s' "$mnt" | sed 's/\\\\\\([0-7][0-7][0-7]\\)/\\\\0\\1/g')"); s=$(timeout ${o.timeout} stat -f -c '%S %s %b %a %c %d' "$p" 2>/dev/null); echo "$? $mnt $s"; done < /proc/mounts`,
  ].join('\n');
}

function parseHardware(parts: Map<string, string>, collected: Facts): Facts {
  return {
    ...cpuFacts(parts.get('cpuinfo') ?? '', parts.get('xen')?.trim() ?? '', parts.get('nproc') ?? '', String(collected.architecture ?? '')),
    ...memoryFacts(parts.get('meminfo') ?? ''),
    ...dmiFacts(parts.get('dmi') ?? ''),
    ...uptimeFacts(parts.get('uptime')),
    // Volume groups are not read: a host with LVM's tools says so instead of Ansible's vgs/lvs/pvs report.
    lvm: parts.has('lvm') ? 'not gathered by provision' : 'N/A',
    mounts: mountFacts(parts),
  };
}

/** The same, from dmidecode -s where sysfs has no DMI. */
const DMIDECODE_KEYS: Record<string, string> = {
  bios_date: 'bios-release-date',
  bios_vendor: 'bios-vendor',
  bios_version: 'bios-version',
  board_asset_tag: 'baseboard-asset-tag',
  board_name: 'baseboard-product-name',
  board_serial: 'baseboard-serial-number',
  board_vendor: 'baseboard-manufacturer',
  board_version: 'baseboard-version',
  chassis_asset_tag: 'chassis-asset-tag',
  chassis_serial: 'chassis-serial-number',
  chassis_vendor: 'chassis-manufacturer',
  chassis_version: 'chassis-version',
  form_factor: 'chassis-type',
  product_name: 'system-product-name',
  product_serial: 'system-serial-number',
  product_uuid: 'system-uuid',
  product_version: 'system-version',
  system_vendor: 'system-manufacturer',
};
const FORM_FACTORS = [
  'Unknown',
  'Other',
  'Unknown',
  'Desktop',
  'Low Profile Desktop',
  'Pizza Box',
  'Mini Tower',
  'Tower',
  'Portable',
  'Laptop',
  'Notebook',
  'Hand Held',
  'Docking Station',
  'All In One',
  'Sub Notebook',
  'Space-saving',
  'Lunch Box',
  'Main Server Chassis',
  'Expansion Chassis',
  'Sub Chassis',
  'Bus Expansion Chassis',
  'Peripheral Chassis',
  'RAID Chassis',
  'Rack Mount Chassis',
  'Sealed-case PC',
  'Multi-system',
  'CompactPCI',
  'AdvancedTCA',
  'Blade',
  'Blade Enclosure',
  'Tablet',
  'Convertible',
  'Detachable',
  'IoT Gateway',
  'Embedded PC',
  'Mini PC',
  'Stick PC',
];

/** Ansible's get_dmi_facts: sysfs first, dmidecode where sysfs has none, 'NA' for what neither says. */
function dmiFacts(text: string): Facts {
  const kv = keyValues(text);
  const fromDmidecode = kv.has('dmidecode');
  const facts: Facts = {};
  for (const [fact, file] of Object.entries(DMI_FILES)) {
    const raw = fromDmidecode ? kv.get(DMIDECODE_KEYS[fact] ?? '') : fileContent(kv.get(file));
    if (raw === undefined) facts[fact] = 'NA';
    else if (fact === 'form_factor' && !fromDmidecode) facts[fact] = FORM_FACTORS[Number.parseInt(raw, 10)] ?? `unknown (${raw})`;
    else facts[fact] = raw;
  }
  return facts;
}

type CpuinfoField = readonly [key: string, value: string];

/** /proc/cpuinfo as key and value per line (split at the first colon, both trimmed); blank lines dropped. */
function cpuinfoFields(cpuinfo: string): CpuinfoField[] {
  return cpuinfo
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return colon < 0 ? [line.trim(), ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
}

const valuesOf = (fields: readonly CpuinfoField[], key: string) => fields.filter(([k]) => k === key).map(([, v]) => v);

/**
 * How many logical CPUs cpuinfo lists. ARM and POWER give one `processor` line each. x86 gives
 * a vendor_id and a model name line each: where they agree, that is the number. Otherwise every
 * processor-naming line counts one, after the number the last `ncpus active` line states.
 */
function logicalCpus(fields: readonly CpuinfoField[], architecture: string): number {
  if (/^(armv|aarch|ppc)/.test(architecture)) return valuesOf(fields, 'processor').length;
  const vendors = valuesOf(fields, 'vendor_id').length;
  if (vendors > 0 && vendors === valuesOf(fields, 'model name').length) return vendors;
  const stated = fields.map(([key]) => key).lastIndexOf(STATED_ACTIVE);
  const after = fields.slice(stated + 1).filter(([key]) => PROCESSOR_KEYS.includes(key)).length;
  return stated < 0 ? after : Number.parseInt(must(fields[stated], 'the ncpus line')[1], 10) + after;
}

function scanTopology(fields: readonly CpuinfoField[]): TopologyScan {
  const scan: TopologyScan = { socket: '0', core: '0', coresPerSocket: new Map(), siblingsPerCore: new Map() };
  for (const [key, value] of fields) TOPOLOGY_LINES.get(key)?.(scan, value);
  return scan;
}

/**
 * Sockets, cores and threads from the topology lines, every socket taken to be like the first one
 * listed (a zero or unreadable core count is one core); without topology lines, each logical CPU
 * is a socket.
 */
function topologyFacts(scan: TopologyScan, logical: number): Facts {
  const count = scan.coresPerSocket.size > 0 ? scan.coresPerSocket.size : logical;
  const cores = scan.coresPerSocket.values().next().value || 1;
  // siblings are the threads of a whole socket: per core, they are divided by its cores.
  const threads = Math.floor((scan.siblingsPerCore.values().next().value ?? 1) / cores);
  return { processor_count: count, processor_cores: cores, processor_threads_per_core: threads, processor_vcpus: threads * count * cores };
}

/**
 * Processor facts from /proc/cpuinfo, as Ansible counts them: the names, then the counts
 * by what the architecture states (s390x: its number only; a Xen paravirt guest, which hides its
 * topology: the vCPUs listed, one thread each) or else by the x86 topology lines.
 */
export function cpuFacts(cpuinfo: string, xen: string, nproc: string, architecture: string): Facts {
  const fields = cpuinfoFields(cpuinfo);
  const stated = valuesOf(fields, STATED_PROCESSORS).at(-1);
  const named: Facts = {
    processor: fields.filter(([key]) => PROCESSOR_KEYS.includes(key)).map(([, value]) => value),
    ...(stated === undefined ? {} : { processor_cores: Number.parseInt(stated, 10) }),
  };
  if (architecture === 's390x') return named;
  const logical = logicalCpus(fields, architecture);
  if (xen === 'paravirt') {
    return { ...named, processor_count: logical, processor_cores: logical, processor_threads_per_core: 1, processor_vcpus: logical };
  }
  const usable = Number.parseInt(nproc.trim(), 10);
  return {
    ...named,
    ...topologyFacts(scanTopology(fields), logical),
    // nproc counts the CPUs this process may run on; without it, cpuinfo's processor lines.
    processor_nproc: Number.isNaN(usable) ? valuesOf(fields, 'processor').length : usable,
  };
}

/** The meminfo lines that also stand alone as `<name>_mb` facts (memtotal_mb...), beside memory_mb. */
const FLAT_MB_FACTS = new Set(['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree']);

function memoryFacts(meminfo: string): Facts {
  const facts: Facts = {};
  const mb = new Map<string, number>();
  for (const line of meminfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = Math.floor(
      Number.parseInt(
        line
          .slice(colon + 1)
          .trim()
          .split(' ')[0] ?? '',
        10,
      ) / 1024,
    );
    if (FLAT_MB_FACTS.has(key)) facts[`${key.toLowerCase()}_mb`] = value;
    mb.set(key.toLowerCase(), value);
  }
  const get = (k: string) => mb.get(k) ?? null;
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const nocacheFree =
    mb.has('cached') && mb.has('memfree') && mb.has('buffers')
      ? (get('cached') ?? 0) + (get('memfree') ?? 0) + (get('buffers') ?? 0)
      : null;
  facts.memory_mb = {
    real: { total: get('memtotal'), used: minus(get('memtotal'), get('memfree')), free: get('memfree') },
    nocache: { free: nocacheFree, used: minus(get('memtotal'), nocacheFree) },
    swap: { total: get('swaptotal'), free: get('swapfree'), used: minus(get('swaptotal'), get('swapfree')), cached: get('swapcached') },
  };
  return facts;
}

function uptimeFacts(uptime: string | undefined): Facts {
  const content = fileContent(uptime);
  return content ? { uptime_seconds: Math.trunc(Number(content.split(' ')[0])) } : {};
}

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
function unescapeOctal(s: string): string {
  return s.replace(/\\[0-7]{3}/g, (m) => String.fromCharCode(Number.parseInt(m.slice(1), 8)));
}

/** Ansible's get_mount_facts: mtab entries of real devices, one per mount point, with statvfs sizes and the UUID. */
function mountFacts(parts: Map<string, string>): Facts[] {
  const binds = new Set<string>();
  for (const line of (parts.get('findmnt') ?? '').split('\n')) {
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length >= 2 && /.*\]/.test(f[1] ?? '')) binds.add(f[0] ?? '');
  }
  const uuids = new Map<string, string>();
  for (const line of [...(parts.get('lsblk') ?? '').split('\n'), ...(parts.get('udev') ?? '').split('\n')]) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 2 && f[0] && f[1] && !uuids.has(f[0])) uuids.set(f[0], f[1]);
  }
  const sizes = new Map<string, string[]>();
  for (const line of (parts.get('sizes') ?? '').split('\n')) {
    const [code = '', mount = '', ...n] = line.split(' ');
    if (mount) sizes.set(unescapeOctal(mount), [code, ...n]);
  }
  const byMount = new Map<string, Facts>();
  for (const line of (parts.get('mtab') ?? '').split('\n')) {
    const fields = line.split(/\s+/).filter(Boolean).map(unescapeOctal);
    if (fields.length < 4) continue;
    const [device = '', mount = '', fstype = '', options = ''] = fields;
    if ((!device.startsWith('/') && !device.startsWith('\\') && !device.includes(':/')) || fstype === 'none') continue;
    const info: Facts = { mount, device, fstype, options: binds.has(mount) && !/.*bind.*"/.test(options) ? `${options},bind` : options };
    const [code, frsize, bsize, blocks, bavail, files, favail] = (sizes.get(mount) ?? []).map(Number);
    if (code === 124) info.note = 'Could not get extra information due to timeout';
    else {
      if (code === 0 && frsize !== undefined && bsize !== undefined && blocks !== undefined && bavail !== undefined) {
        Object.assign(info, {
          size_total: frsize * blocks,
          size_available: frsize * bavail,
          block_size: bsize,
          block_total: blocks,
          block_available: bavail,
          block_used: blocks - bavail,
          inode_total: files ?? 0,
          inode_available: favail ?? 0,
          inode_used: (files ?? 0) - (favail ?? 0),
        } satisfies Record<string, ReadValue>);
      }
      info.uuid = uuids.get(device) ?? 'N/A';
    }
    // A mount point listed twice is one entry, at its first place, with what the last line says.
    byMount.set(mount, info);
  }
  return [...byMount.values()];
}
