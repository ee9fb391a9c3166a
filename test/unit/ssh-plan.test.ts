import { describe, expect, it } from 'vitest';
import { sshPlan } from '../../src/engine/ssh-plan.js';
import type { SshConfigFiles } from '../../src/transport/ssh-config.js';

function files(config: string): SshConfigFiles {
  const tree: Record<string, string> = { '/home/u/.ssh/config': config };
  return { read: (p) => tree[p], glob: (p) => (tree[p] ? [p] : []), home: '/home/u', localUser: 'me', localHost: 'ctl' };
}

const CONFIG = `
Host web*
  HostName %h.lab.test
  User cfg-user
  Port 2200
  IdentityFile ~/.ssh/web_%r
  ProxyJump gw
Host gw
  HostName 198.18.2.160
  User gw-user
  IdentityFile ~/.ssh/gw_key
Host inner
  HostName 198.18.3.241
  ProxyJump gw,ops@gw2:2022
Host viacmd
  HostName 198.18.3.241
  ProxyCommand ssh -W "%h:%p" -l %r gw # for %n, 100%%
Host cmdgw
  HostName 198.18.2.170
  ProxyCommand nc -q0 %h %p
Host behindcmd
  ProxyJump cmdgw
Host *
  StrictHostKeyChecking accept-new
  ConnectTimeout 4
`;
const settings = (extra: Partial<Parameters<typeof sshPlan>[2]> = {}) => ({
  inventoryFile: '/inv/hosts.yaml',
  files: files(CONFIG),
  ...extra,
});

describe('reaching a host: inventory variables over ssh_config, as Ansible passes them to ssh', () => {
  it('takes what the inventory leaves unset from ssh_config', () => {
    const p = sshPlan('web1', {}, settings());
    expect(p.target).toMatchObject({
      address: 'web1.lab.test',
      user: 'cfg-user',
      port: 2200,
      hostKeyPolicy: 'accept-new',
      connectTimeoutMs: 4000,
    });
    expect(p.target.identityFiles).toEqual(['/home/u/.ssh/web_cfg-user']);
  });

  it('lets ansible_user, ansible_port and ansible_host beat the config (they are ssh command-line options)', () => {
    const p = sshPlan('x', { ansible_host: 'web9', ansible_user: 'deploy', ansible_port: 22 }, settings());
    expect(p.target).toMatchObject({ address: 'web9.lab.test', user: 'deploy', port: 22 });
    expect(p.target.identityFiles).toEqual(['/home/u/.ssh/web_deploy']);
  });

  it('resolves each jump host with its own config, and keeps the run policy above the config', () => {
    const p = sshPlan('web1', { provision_host_key_checking: 'strict' }, settings());
    expect(p.jumps.map((j) => [j.label, j.address, j.user, j.port, j.identityFiles, j.hostKeyPolicy])).toEqual([
      ['gw', '198.18.2.160', 'gw-user', 22, ['/home/u/.ssh/gw_key'], 'strict'],
    ]);
    expect(sshPlan('web1', {}, settings({ hostKeyPolicy: 'off' })).jumps[0]?.hostKeyPolicy).toBe('off');
  });

  it('reads chains first hop first, with the spec user and port beating the hop config', () => {
    const p = sshPlan('inner', {}, settings());
    expect(p.jumps.map((j) => `${j.user}@${j.address}:${j.port}`)).toEqual(['gw-user@198.18.2.160:22', 'ops@gw2:2022']);
  });

  it('takes -J and -o ProxyJump from ansible_ssh_common_args, and ProxyJump=none turns the config one off', () => {
    const j = sshPlan('plain', { ansible_ssh_common_args: '-o ProxyJump=root@198.18.2.160' }, settings());
    expect(j.jumps.map((h) => `${h.user}@${h.address}`)).toEqual(['root@198.18.2.160']);
    const k = sshPlan('plain', { ansible_ssh_extra_args: '-J gw' }, settings());
    expect(k.jumps.map((h) => h.address)).toEqual(['198.18.2.160']);
    expect(sshPlan('web1', { ansible_ssh_common_args: '-o ProxyJump=none' }, settings()).jumps).toEqual([]);
  });

  it('reads the file named by provision_ssh_config instead, relative to the inventory', () => {
    const s = settings();
    const tree: Record<string, string> = { '/inv/ssh.cfg': 'Host *\n  User from-named\n' };
    const p = sshPlan('a', { provision_ssh_config: 'ssh.cfg' }, { ...s, files: { ...s.files, read: (f) => tree[f] } });
    expect(p.target.user).toBe('from-named');
  });

  it("runs ProxyCommand as written to the end of the line, with ssh's tokens expanded (%h after HostName)", () => {
    const p = sshPlan('x', { ansible_host: 'viacmd', ansible_user: 'deploy' }, settings());
    expect(p.target.proxyCommand).toBe('ssh -W "198.18.3.241:22" -l deploy gw # for viacmd, 100%');
    expect(p.target.address).toBe('198.18.3.241');
    expect(p.jumps).toEqual([]);
  });

  it('takes -o ProxyCommand= from ansible_ssh_common_args whole, and it beats the config', () => {
    const p = sshPlan('web1', { ansible_ssh_common_args: `-o ProxyCommand="ssh -W %h:%p -q  bastion" -o Port=2` }, settings());
    expect(p.target.proxyCommand).toBe('ssh -W web1.lab.test:2 -q  bastion');
    // ProxyJump and ProxyCommand share one slot: the first given wins, here the command line's.
    expect(p.jumps).toEqual([]);
  });

  it("a bastion's own ProxyCommand carries the first hop", () => {
    const p = sshPlan('behindcmd', {}, settings());
    expect(p.jumps.map((j) => [j.label, j.proxyCommand])).toEqual([['cmdgw', 'nc -q0 198.18.2.170 22']]);
  });
});
