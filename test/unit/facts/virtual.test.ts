import { describe, expect, it } from 'vitest';
import { virtualCollector } from '../../../src/reads/facts/virtual.js';

// The collector was rewritten as ordered probes and one fold; these values are what the former
// line-for-line version gave for the same output (the two agreed on 200,000 random host outputs),
// including Ansible quirks: OpenVZ names the type after an earlier finding, virtio lists kvm as a host.
describe('virtualization facts', () => {
  it.each([
    [
      'systemd-nspawn (the lab)',
      '::environ\ncontainer=systemd-nspawn\n::systemd_container\nsystemd-nspawn\n::files\n/proc/modules',
      {
        virtualization_type: 'container',
        virtualization_role: 'guest',
        virtualization_tech_guest: ['container', 'systemd-nspawn'],
        virtualization_tech_host: [],
      },
    ],
    [
      'docker, then OpenVZ names the type',
      '::cgroup\n0::/system.slice/docker-0af.scope\n::files\n/proc/vz\n/proc/bc',
      {
        virtualization_type: 'openvz',
        virtualization_role: 'guest',
        virtualization_tech_guest: ['container', 'docker'],
        virtualization_tech_host: ['openvz'],
      },
    ],
    [
      'a KVM guest by DMI, a kvm host by /dev/kvm',
      '::dmi\nproduct_name=KVM\nsys_vendor=QEMU\n::files\n/dev/kvm',
      { virtualization_type: 'kvm', virtualization_role: 'guest', virtualization_tech_guest: ['kvm'], virtualization_tech_host: ['kvm'] },
    ],
    [
      'virtio loaded: a kvm guest, kvm listed as host',
      '::files\n/proc/modules\n::modules\nvirtio',
      { virtualization_type: 'kvm', virtualization_role: 'guest', virtualization_tech_guest: [], virtualization_tech_host: ['kvm'] },
    ],
    [
      'Red Hat RHEV, an s390 partition',
      '::dmi\nsys_vendor=Red Hat\nproduct_name=RHEV Hypervisor\n::cpuinfo\nvendor_id : IBM/S390',
      {
        virtualization_type: 'RHEV',
        virtualization_role: 'guest',
        virtualization_tech_guest: ['PR/SM', 'RHEV'],
        virtualization_tech_host: [],
      },
    ],
    ['nothing', '', { virtualization_type: 'NA', virtualization_role: 'NA', virtualization_tech_guest: [], virtualization_tech_host: [] }],
  ])('%s', (_name, text, facts) => {
    expect(virtualCollector.parse(text, {})).toEqual(facts);
  });
});
