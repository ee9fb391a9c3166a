import type { ReadValue } from '../../core/reads.js';
import { type FactCollector, type Facts, fileContent, type GatherOptions, keyValues, subParts } from './collector.js';

/** /proc/cpuinfo keys Ansible's get_cpu_facts looks at. */
const CPU_KEYS = [
  'model name',
  'Processor',
  'vendor_id',
  'cpu',
  'Vendor',
  'processor',
  'physical id',
  'core id',
  'cpu cores',
  'siblings',
  '# processors',
  'ncpus active',
];

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

/** Ansible's get_cpu_facts, line for line in what it counts. */
export function cpuFacts(cpuinfo: string, xen: string, nproc: string, architecture: string): Facts {
  const processor: string[] = [];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let declaredCores: number | undefined;
  for (const line of cpuinfo.split('\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // Ansible tests the socket map here, not the core map: kept, it decides the counts.
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number.parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, Number.parseInt(val, 10));
    else if (key === '# processors') declaredCores = Number.parseInt(val, 10);
    else if (key === 'ncpus active') i = Number.parseInt(val, 10);
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  const facts: Facts = { processor };
  if (declaredCores !== undefined) facts.processor_cores = declaredCores;
  if (architecture === 's390x') return facts;
  if (xen === 'paravirt') return { ...facts, processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i };
  const count = sockets.size > 0 ? sockets.size : i;
  const firstSocket = [...sockets.values()][0];
  const perSocket = firstSocket ? firstSocket : 1;
  const firstCore = [...cores.values()][0];
  const threads = firstCore !== undefined ? Math.floor(firstCore / perSocket) : Math.floor(1 / perSocket);
  const n = Number.parseInt(nproc.trim(), 10);
  return {
    ...facts,
    processor_count: count,
    processor_cores: perSocket,
    processor_threads_per_core: threads,
    processor_vcpus: threads * count * perSocket,
    processor_nproc: Number.isNaN(n) ? processors : n,
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
