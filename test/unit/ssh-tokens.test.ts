import { describe, expect, it } from 'vitest';
import { resolveSshConfig, type SshConfigFiles } from '../../src/transport/ssh-config.js';

const files = (config: string): SshConfigFiles => ({
  read: (p) => (p === '/cfg' ? config : undefined),
  glob: () => [],
  home: '/root',
  localUser: 'root',
  localHost: 'vm',
  localUid: 0,
});
const knownHosts = (config: string, host: string) =>
  resolveSshConfig({ host, options: [], configFile: '/cfg' }, files(config)).userKnownHostsFiles[0];

// `ssh -G -F CONFIG HOST` prints paths with their tokens unexpanded, except ControlPath: these are
// the ControlPath values OpenSSH_9.2p1 (Debian 12) printed for the same configs on a host named vm,
// as root (uid 0).
describe('ssh_config path tokens OpenSSH expands', () => {
  it('%C (hash of %l%h%p%r), %i, %k without HostKeyAlias, %n, %L', () => {
    const config = 'Host x\n  HostName 198.18.1.90\n  User bob\n  Port 2222\n  UserKnownHostsFile /tmp/cp_%C_%i_%k_%n_%L\n';
    expect(knownHosts(config, 'x')).toBe('/tmp/cp_0b4892a1830293021419067412d90ccf6730fbf3_0_x_x_vm');
  });

  it('%k is the HostKeyAlias when one is set', () => {
    const config = 'Host y\n  HostKeyAlias alias1\n  UserKnownHostsFile /tmp/cp_%k_%C\n';
    expect(knownHosts(config, 'y')).toBe('/tmp/cp_alias1_2e23bccbb4d3ee2f70e56013b0537f361032cc8a');
  });
});
