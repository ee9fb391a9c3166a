import { describe, expect, it } from 'vitest';
import { findModule } from '../../../src/registry/modules.js';

describe('module names', () => {
  it('resolves each collection name only for its own modules', () => {
    expect(findModule('ansible.posix.sysctl')?.name).toBe('sysctl');
    expect(findModule('ansible.builtin.sysctl')).toBeUndefined();
    expect(findModule('community.general.ini_file')?.name).toBe('ini_file');
    expect(findModule('ansible.builtin.ini_file')).toBeUndefined();
    expect(findModule('ansible.posix.authorized_key')?.name).toBe('authorized_key');
    expect(findModule('ansible.builtin.user')?.name).toBe('user');
    expect(findModule('ansible.legacy.sysctl')?.name).toBe('sysctl');
    expect(findModule('ansible.builtin.systemd_service')?.name).toBe('systemd');
    expect(findModule('community.general.user')).toBeUndefined();
  });
});
