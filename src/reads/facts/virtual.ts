import { type FactCollector, type Facts, fileContent, keyValues, subParts } from './collector.js';

/**
 * virtualization_* as Ansible's Linux collector reports them. Each probe below turns what the host
 * showed into findings, in the order Ansible tries them: the first finding names the type and the
 * role, every finding adds its technology to the guest or host list.
 */
export const virtualCollector: FactCollector = {
  name: 'virtual',
  facts: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
  script: () =>
    [
      'echo ::cgroup; cat /proc/1/cgroup 2>/dev/null',
      "echo ::environ; tr '\\000' '\\n' < /proc/1/environ 2>/dev/null | grep 'container='",
      'echo ::files; for f in /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm /proc/modules; do [ -e "$f" ] && echo "$f"; done',
      'echo ::xen_capabilities; cat /proc/xen/capabilities 2>/dev/null',
      'echo ::systemd_container; cat /run/systemd/container 2>/dev/null',
      'echo ::dmi; for f in product_name sys_vendor product_family bios_vendor; do echo "$f=$(cat /sys/devices/virtual/dmi/id/$f 2>/dev/null)"; done',
      "echo ::vxid; grep '^VxID:' /proc/self/status 2>/dev/null",
      "echo ::cpuinfo; grep -E '^(model name|vendor_id|machine)' /proc/cpuinfo 2>/dev/null",
      "echo ::modules; [ -r /proc/modules ] && cut -d ' ' -f 1 /proc/modules | grep -xE 'kvm|vboxdrv|virtio'",
      'echo ::dmidecode; command -v dmidecode >/dev/null 2>&1 && dmidecode -s system-product-name 2>/dev/null',
    ].join('\n'),
  parse: (text) => {
    const parts = subParts(text);
    return virtualFacts(probeAll(parts), Boolean(fileContent(parts.get('systemd_container'))));
  },
};

/** One thing a probe recognised. */
interface Finding {
  type: string;
  role: string;
  /** The technology it adds to the guest or the host list, if any. */
  tech?: { side: 'guest' | 'host'; name: string };
  /** OpenVZ names the type even after an earlier finding (Ansible's quirk, kept). */
  overridesType?: boolean;
}

const guestOf = (name: string, role = 'guest'): Finding => ({ type: name, role, tech: { side: 'guest', name } });
const hostOf = (name: string, role = 'host', type = name): Finding => ({ type, role, tech: { side: 'host', name } });
const linesOf = (text: string | undefined) => (text ?? '').split('\n');

/** What the host showed, as findings in Ansible's order of tests. */
function probeAll(parts: Map<string, string>): Finding[] {
  const files = new Set(linesOf(parts.get('files')).filter(Boolean));
  const systemdContainer = fileContent(parts.get('systemd_container'));
  return [
    ...linesOf(parts.get('cgroup')).flatMap(cgroupFindings),
    ...linesOf(parts.get('environ')).flatMap(environFindings),
    ...openvzFindings(files),
    ...(systemdContainer ? [guestOf(systemdContainer)] : []),
    ...(files.has('/.dockerenv') || files.has('/.dockerinit') ? [guestOf('docker')] : []),
    ...xenFindings(files, parts.get('xen_capabilities') ?? ''),
    ...dmiFindings(keyValues(parts.get('dmi'))),
    ...linesOf(parts.get('vxid')).flatMap(vserverFindings),
    ...linesOf(parts.get('cpuinfo')).flatMap(cpuinfoFindings),
    ...(files.has('/proc/modules') ? moduleFindings(new Set(linesOf(parts.get('modules')))) : []),
    ...dmidecodeFindings(parts.get('dmidecode') ?? ''),
    ...(files.has('/dev/kvm') ? [hostOf('kvm')] : []),
  ];
}

function cgroupFindings(line: string): Finding[] {
  const found: Finding[] = [];
  if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) found.push(guestOf('docker'));
  if (/\/lxc\//.test(line) || /\/machine.slice\/machine-lxc/.test(line)) found.push(guestOf('lxc'));
  if (/\/system.slice\/containerd.service/.test(line)) found.push(guestOf('containerd'));
  return found;
}

function environFindings(line: string): Finding[] {
  const found: Finding[] = [];
  if (/container=lxc/.test(line)) found.push(guestOf('lxc'));
  if (/container=podman/.test(line)) found.push(guestOf('podman'));
  if (/^container=./.test(line)) found.push(guestOf('container'));
  return found;
}

function openvzFindings(files: Set<string>): Finding[] {
  if (!files.has('/proc/vz') || files.has('/proc/lve')) return [];
  const f = files.has('/proc/bc') ? hostOf('openvz') : guestOf('openvz');
  return [{ ...f, overridesType: true }];
}

function xenFindings(files: Set<string>, capabilities: string): Finding[] {
  if (!files.has('/proc/xen')) return [];
  // A Xen guest is named, but not listed among the guest technologies.
  return [capabilities.includes('control_d') ? hostOf('xen') : { type: 'xen', role: 'guest' }];
}

type Dmi = (field: string) => string | undefined;
const oneOf = (value: string | undefined, ...values: string[]) => value !== undefined && values.includes(value);

/** The hypervisors DMI names, in Ansible's order of tests. */
const DMI_HYPERVISORS: readonly [tech: string, test: (dmi: Dmi) => boolean][] = [
  ['kvm', (d) => oneOf(d('product_name'), 'KVM', 'KVM Server', 'Bochs', 'AHV')],
  ['oVirt', (d) => d('sys_vendor') === 'oVirt'],
  ['RHV', (d) => d('sys_vendor') === 'Red Hat' && d('product_family') === 'RHV'],
  ['RHEV', (d) => d('sys_vendor') === 'Red Hat' && d('product_family') !== 'RHV' && d('product_name') === 'RHEV Hypervisor'],
  ['VMware', (d) => oneOf(d('product_name'), 'VMware Virtual Platform', 'VMware7,1')],
  ['openstack', (d) => oneOf(d('product_name'), 'OpenStack Compute', 'OpenStack Nova')],
  ['xen', (d) => d('bios_vendor') === 'Xen'],
  ['virtualbox', (d) => d('bios_vendor') === 'innotek GmbH'],
  ['kvm', (d) => oneOf(d('bios_vendor'), 'Amazon EC2', 'DigitalOcean', 'Hetzner')],
  ['kvm', (d) => oneOf(d('sys_vendor'), 'QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix')],
  ['KubeVirt', (d) => d('sys_vendor') === 'KubeVirt'],
  ['VirtualPC', (d) => d('sys_vendor') === 'Microsoft Corporation'],
  ['parallels', (d) => d('sys_vendor') === 'Parallels Software International Inc.'],
  ['openstack', (d) => d('sys_vendor') === 'OpenStack Foundation'],
];

function dmiFindings(fields: Map<string, string>): Finding[] {
  const dmi: Dmi = (field) => fileContent(fields.get(field));
  return DMI_HYPERVISORS.filter(([, test]) => test(dmi)).map(([tech]) => guestOf(tech));
}

function vserverFindings(line: string): Finding[] {
  if (!/^VxID:\s+\d+/.test(line)) return [];
  return [/^VxID:\s+0/.test(line) ? hostOf('linux_vserver') : guestOf('linux_vserver')];
}

/** cpuinfo lines that give an emulator or a partition away: [pattern, technology, role]. */
const CPUINFO_GUESTS: readonly [RegExp, string, string][] = [
  [/^model name.*QEMU Virtual CPU/, 'kvm', 'guest'],
  [/^vendor_id.*User Mode Linux/, 'uml', 'guest'],
  [/^model name.*UML/, 'uml', 'guest'],
  [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm', 'guest'],
  [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86', 'guest'],
  [/^vendor_id.*IBM\/S390/, 'PR/SM', 'LPAR'],
];

function cpuinfoFindings(line: string): Finding[] {
  const hit = CPUINFO_GUESTS.find(([pattern]) => pattern.test(line));
  return hit ? [guestOf(hit[1], hit[2])] : [];
}

function moduleFindings(modules: Set<string>): Finding[] {
  return [
    ...(modules.has('kvm') ? [hostOf('kvm')] : []),
    ...(modules.has('vboxdrv') ? [hostOf('virtualbox')] : []),
    // virtio loaded: Ansible lists kvm as a host technology, yet calls the machine a kvm guest.
    ...(modules.has('virtio') ? [hostOf('kvm', 'guest')] : []),
  ];
}

function dmidecodeFindings(output: string): Finding[] {
  const product = output
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim())
    .join('');
  return [...(product.startsWith('VMware') ? [guestOf('VMware')] : []), ...(output.includes('BHYVE') ? [guestOf('bhyve')] : [])];
}

/** Technologies that make a guest a container too. */
const CONTAINER_TECHS = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];

function virtualFacts(findings: readonly Finding[], systemdContainer: boolean): Facts {
  const listed = (side: 'guest' | 'host') => new Set(findings.flatMap((f) => (f.tech?.side === side ? [f.tech.name] : [])));
  const guest = listed('guest');
  if (systemdContainer || CONTAINER_TECHS.some((t) => guest.has(t))) guest.add('container');
  const first = findings[0];
  return {
    virtualization_type: findings.find((f) => f.overridesType)?.type ?? first?.type ?? 'NA',
    virtualization_role: first?.role ?? 'NA',
    virtualization_tech_guest: [...guest].sort(),
    virtualization_tech_host: [...listed('host')].sort(),
  };
}
