import { beforeAll, describe, expect, it } from 'vitest';
import { provision, runOn, taskStatuses as statuses } from './helpers.js';

// The modules real roles use, compared with Ansible on twin lab hosts: ansible-playbook ran
// test/e2e/playbooks/modules-compat.yaml on m-a and this test runs provision on m-b. The statuses
// and the host state below were recorded from ansible-core 2.14.18 (Debian's ansible 7.7) on
// 2026-11-28, on a host reset with RESET first.
const INV = 'test/e2e/inventories/modules.yaml';
const PB = 'test/e2e/playbooks/modules-compat.yaml';
const HOST = { name: 'm-b', address: '198.18.2.151' };

/** Undo what the playbook makes, so the first run starts where Ansible's did. */
const RESET = `userdel -r pfuser 2>/dev/null; groupdel pfgroup 2>/dev/null; userdel -r alice 2>/dev/null; userdel svc 2>/dev/null; groupdel devs 2>/dev/null; groupdel sysg 2>/dev/null; groupdel svc 2>/dev/null; rm -f /etc/sysctl.d/90-compat.conf /etc/compat.conf /etc/compat.ini /root/registered.txt; sysctl -q -w net.ipv4.ip_forward=0; systemctl unmask e2scrub_reap.service 2>/dev/null; apt-get -y -q remove jq libjq1 libonig5 >/dev/null 2>&1; true`;

/** The state compared: users and groups, the password hash, files with mode and owner, sysctl, unit, package. */
const STATE = `grep -E '^(alice|svc|devs|sysg|sudo|nobody2):' /etc/passwd /etc/group
echo "shadow $(getent shadow alice | cut -d: -f2)"
for f in /home/alice /home/alice/.ssh /home/alice/.ssh/authorized_keys /etc/sysctl.d/90-compat.conf /etc/compat.conf /etc/compat.ini /root/registered.txt; do stat -c '%n %a %U %G' $f; echo "--- $f"; [ -f $f ] && cat $f; done
echo "ip_forward $(sysctl -n net.ipv4.ip_forward)"
echo "e2scrub_reap $(systemctl is-enabled e2scrub_reap.service)"
echo "jq $(dpkg-query -W -f '\${Status}' jq)"`;

const ANSIBLE_FIRST =
  'ok changed changed changed changed skipped ok changed changed ok ok changed changed changed changed changed changed changed changed changed changed changed';
const ANSIBLE_SECOND = 'ok ok ok ok ok skipped ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok';
const ANSIBLE_STATE = `/etc/passwd:alice:x:1500:1500::/home/alice:/bin/bash
/etc/passwd:svc:x:999:996::/home/svc:/usr/sbin/nologin
/etc/group:sudo:x:27:alice
/etc/group:devs:x:2001:alice
/etc/group:sysg:x:997:
/etc/group:alice:x:1500:
/etc/group:svc:x:996:
shadow $6$provsalt$AqWTF8OwjTcxmwtArVDu0KtQtU6.Ygmil5TMP1KGpYIS8woX9TLjWpx8gxjJfQSRAU8rYL0.p3MeH9.QHhxVj0
/home/alice 755 alice alice
--- /home/alice
/home/alice/.ssh 700 alice alice
--- /home/alice/.ssh
/home/alice/.ssh/authorized_keys 600 alice alice
--- /home/alice/.ssh/authorized_keys
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINflq2oZ3q2/e8xodu2kYlJMYQ9FO6lOqEPLtPGUNiSB alice@example
no-port-forwarding,from="10.0.0.1" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWplAYNR32Y9NArfHt9a6QN/1kzjmsgzLn59dgylATm bob@example
/etc/sysctl.d/90-compat.conf 644 root root
--- /etc/sysctl.d/90-compat.conf
net.ipv4.ip_forward=1
/etc/compat.conf 644 root root
--- /etc/compat.conf
# compat edited
listen = new
# BEGIN ANSIBLE MANAGED BLOCK
a = 1
b = 2
# END ANSIBLE MANAGED BLOCK
mode = new
[extra]
key = value
/etc/compat.ini 600 root root
--- /etc/compat.ini

[main]
port = 80
host=example
/root/registered.txt 644 root root
--- /root/registered.txt
yes yes 0600 alice alice 223 b8616f898150ce23d51b223bb72e2788ea3934e3
yes base64
Debian Debian 12 systemd apt x86_64
yes disabled yes
ip_forward 1
e2scrub_reap masked
jq install ok installed
`;

describe('modules against Ansible, on twin lab hosts', () => {
  beforeAll(async () => {
    await runOn(HOST.address, RESET);
  });

  it('same statuses as Ansible: changed, then ok on the second run; same final state', async () => {
    const first = await provision(['up', INV, '--playbook', PB, '--limit', HOST.name, '--json']);
    expect(first.code, first.stdout.slice(-3000)).toBe(0);
    expect(statuses(first.stdout)).toBe(ANSIBLE_FIRST);
    const second = await provision(['up', INV, '--playbook', PB, '--limit', HOST.name, '--json']);
    expect(second.code, second.stdout.slice(-3000)).toBe(0);
    expect(statuses(second.stdout)).toBe(ANSIBLE_SECOND);
    expect(await runOn(HOST.address, STATE)).toBe(ANSIBLE_STATE);
  });
});
