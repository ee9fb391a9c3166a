import { type FactCollector, type Facts, fileContent, keyValues, subParts } from './collector.js';

/**
 * Ansible's Linux virtualization collector (virtual/linux.py), in its order of tests: containers
 * first, then hypervisors from DMI, cpuinfo and kernel modules. The first match sets type and
 * role; every match adds to the guest or host technologies.
 */
export const virtualCollector: FactCollector = {
  name: 'virtual',
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
  parse: (text) => parseVirtual(subParts(text)),
};

function parseVirtual(parts: Map<string, string>): Facts {
  let type: string | undefined;
  let role: string | undefined;
  let found = false;
  const guest = new Set<string>();
  const host = new Set<string>();
  /** A guest technology; the first one found names the type and (unless null) the role. */
  const asGuest = (tech: string, t = tech, r: string | null = 'guest') => {
    guest.add(tech);
    if (!found) {
      type = t;
      if (r !== null) role = r;
      found = true;
    }
  };
  const files = new Set((parts.get('files') ?? '').split('\n').filter(Boolean));
  for (const line of (parts.get('cgroup') ?? '').split('\n')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) asGuest('docker');
    if (/\/lxc\//.test(line) || /\/machine.slice\/machine-lxc/.test(line)) asGuest('lxc');
    if (/\/system.slice\/containerd.service/.test(line)) asGuest('containerd');
  }
  for (const line of (parts.get('environ') ?? '').split('\n')) {
    if (/container=lxc/.test(line)) asGuest('lxc');
    if (/container=podman/.test(line)) asGuest('podman');
    if (/^container=./.test(line)) asGuest('container');
  }
  if (files.has('/proc/vz') && !files.has('/proc/lve')) {
    type = 'openvz';
    if (files.has('/proc/bc')) {
      host.add('openvz');
      if (!found) role = 'host';
    } else {
      guest.add('openvz');
      if (!found) role = 'guest';
    }
    found = true;
  }
  const systemdContainer = fileContent(parts.get('systemd_container'));
  if (systemdContainer) asGuest(systemdContainer);
  if (files.has('/.dockerenv') || files.has('/.dockerinit')) asGuest('docker');
  if (['docker', 'lxc', 'podman', 'openvz', 'containerd'].some((t) => guest.has(t)) || systemdContainer) guest.add('container');
  if (files.has('/proc/xen')) {
    if ((parts.get('xen_capabilities') ?? '').includes('control_d')) {
      host.add('xen');
      if (!found) [type, role] = ['xen', 'host'];
    } else if (!found) [type, role] = ['xen', 'guest'];
    found = true;
  }
  // Ansible assumes a guest for the DMI tests, and takes the assumption back if none matches.
  if (!found) role = 'guest';
  const dmi = keyValues(parts.get('dmi'));
  const product = fileContent(dmi.get('product_name'));
  const vendor = fileContent(dmi.get('sys_vendor'));
  const family = fileContent(dmi.get('product_family'));
  const bios = fileContent(dmi.get('bios_vendor'));
  const hypervisor = (tech: string) => asGuest(tech, tech, null);
  if (product && ['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product)) hypervisor('kvm');
  if (vendor === 'oVirt') hypervisor('oVirt');
  if (vendor === 'Red Hat') {
    if (family === 'RHV') hypervisor('RHV');
    else if (product === 'RHEV Hypervisor') hypervisor('RHEV');
  }
  if (product === 'VMware Virtual Platform' || product === 'VMware7,1') hypervisor('VMware');
  if (product === 'OpenStack Compute' || product === 'OpenStack Nova') hypervisor('openstack');
  if (bios === 'Xen') hypervisor('xen');
  if (bios === 'innotek GmbH') hypervisor('virtualbox');
  if (bios && ['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios)) hypervisor('kvm');
  if (vendor && ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(vendor)) hypervisor('kvm');
  if (vendor === 'KubeVirt') hypervisor('KubeVirt');
  if (vendor === 'Microsoft Corporation') hypervisor('VirtualPC');
  if (vendor === 'Parallels Software International Inc.') hypervisor('parallels');
  if (vendor === 'OpenStack Foundation') hypervisor('openstack');
  if (!found) role = undefined;
  for (const line of (parts.get('vxid') ?? '').split('\n')) {
    if (!/^VxID:\s+\d+/.test(line)) continue;
    if (!found) type = 'linux_vserver';
    if (/^VxID:\s+0/.test(line)) {
      host.add('linux_vserver');
      if (!found) role = 'host';
    } else {
      guest.add('linux_vserver');
      if (!found) role = 'guest';
    }
    found = true;
  }
  for (const line of (parts.get('cpuinfo') ?? '').split('\n')) {
    const tech = /^model name.*QEMU Virtual CPU/.test(line)
      ? 'kvm'
      : /^vendor_id.*User Mode Linux/.test(line) || /^model name.*UML/.test(line)
        ? 'uml'
        : /^machine.*CHRP IBM pSeries .emulated by qemu./.test(line)
          ? 'kvm'
          : /^vendor_id.*PowerVM Lx86/.test(line)
            ? 'powervm_lx86'
            : /^vendor_id.*IBM\/S390/.test(line)
              ? 'PR/SM'
              : undefined;
    if (tech) asGuest(tech, tech, tech === 'PR/SM' ? 'LPAR' : 'guest');
  }
  if (files.has('/proc/modules')) {
    const modules = new Set((parts.get('modules') ?? '').split('\n').filter(Boolean));
    if (modules.has('kvm')) {
      host.add('kvm');
      if (!found) [type, role] = ['kvm', 'host'];
      found = true;
    }
    if (modules.has('vboxdrv')) {
      host.add('virtualbox');
      if (!found) [type, role, found] = ['virtualbox', 'host', true];
    }
    if (modules.has('virtio')) {
      host.add('kvm');
      if (!found) [type, role, found] = ['kvm', 'guest', true];
    }
  }
  const dmidecode = parts.get('dmidecode') ?? '';
  const vendorName = dmidecode
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim())
    .join('');
  if (vendorName.startsWith('VMware')) asGuest('VMware');
  if (dmidecode.includes('BHYVE')) asGuest('bhyve');
  if (files.has('/dev/kvm')) {
    host.add('kvm');
    if (!found) [type, role, found] = ['kvm', 'host', true];
  }
  if (!found) [type, role] = ['NA', 'NA'];
  const facts: Facts = {};
  if (type !== undefined) facts.virtualization_type = type;
  if (role !== undefined) facts.virtualization_role = role;
  facts.virtualization_tech_guest = [...guest].sort();
  facts.virtualization_tech_host = [...host].sort();
  return facts;
}
