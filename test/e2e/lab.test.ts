import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';
import { killLabHost, provision, ssh } from './helpers.js';

const SCRATCH = 'test/e2e/inventories/scratch.yaml';
const ADDRESS = '198.18.3.215';

function labState(): { hosts: Record<string, { pid: number; dir: string }>; cachePid?: number } {
  return JSON.parse(readFileSync('/var/lib/provision/lab/lab.json', 'utf8'));
}

describe('the lab', () => {
  it("the test cluster's three hosts answer SSH at their addresses, each its own system", async () => {
    const ids = new Set<string>();
    for (const [name, address] of [
      ['t-master', '198.18.3.220'],
      ['t-backup0', '198.18.3.221'],
      ['t-backup1', '198.18.3.222'],
    ] as const) {
      const s = await ssh(address);
      const out = (
        await s.run(`hostname; cat /etc/machine-id; systemctl is-system-running; ip -4 -o addr show host0 | grep -c "inet ${address}/22"`)
      ).out.split('\n');
      const [hostname, machineId, running, inetCount] = out;
      expect(hostname).toBe(name);
      expect(['running', 'degraded']).toContain(running);
      expect(inetCount).toBe('1');
      ids.add(must(machineId, `the machine id of ${name}`));
      s.close();
    }
    expect(ids.size).toBe(3);
  });

  it('boots a host, installs a package through the apt cache, and brings a killed host back', async () => {
    const up = await provision(['lab', 'up', SCRATCH]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/t-scratch1 +198\.18\.3\.215 +(booted|up)/);
    expect(up.stdout).toMatch(/lab ready in [\d.]+m?s/);

    let s = await ssh(ADDRESS);
    const apt = await s.run(
      'apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hello >/dev/null && hello',
    );
    expect(apt.out).toContain('Hello, world!');
    await s.run('echo survives > /root/mark');
    s.close();

    // Running it again changes nothing that is up.
    expect((await provision(['lab', 'up', SCRATCH])).stdout).toMatch(/t-scratch1 +198\.18\.3\.215 +up/);

    // Kill the container outright; status says so; up boots it again with its file system.
    killLabHost('t-scratch1');
    await new Promise((r) => setTimeout(r, 1000));
    const status = await provision(['lab', 'status', SCRATCH]);
    expect(status.stdout).toMatch(/t-scratch1 +198\.18\.3\.215 +down/);
    expect(status.code).toBe(3);
    const again = await provision(['lab', 'up', SCRATCH]);
    expect(again.stdout).toMatch(/t-scratch1 +198\.18\.3\.215 +rebooted/);
    s = await ssh(ADDRESS);
    expect((await s.run('cat /root/mark')).out).toBe('survives\n');
    s.close();
  });

  it('lab down removes the host: no process, no mount, no files', async () => {
    const { pid, dir } = must(labState().hosts['t-scratch1'], 'lab state of t-scratch1');
    const down = await provision(['lab', 'down', SCRATCH]);
    expect(down.code).toBe(0);
    // gone, or a zombie that nobody reaps (the state letter after the command name is Z)
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : ') Z';
    expect(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)).toBe('Z');
    expect(readFileSync('/proc/self/mounts', 'utf8')).not.toContain(dir);
    expect(() => execFileSync('test', ['-e', dir])).toThrow();
    expect(labState().hosts['t-scratch1']).toBeUndefined();
    // the bridge and the apt cache stay: the test cluster still uses them
    expect(execFileSync('ip', ['-br', 'link', 'show', 'provlab0']).toString()).toContain('provlab0');
    expect(labState().cachePid).toBeGreaterThan(0);
  });

  it('names the Debian packages to install when its tools are missing', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'prov-path-'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const r = await provision(['lab', 'up', SCRATCH], { env: { PATH: bin } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('missing Debian packages: systemd-container debootstrap apt-cacher-ng iproute2 openssh-client systemd');
    expect(r.stderr).toContain('apt-get install -y');
  });

  it('refuses addresses outside the lab network', async () => {
    const r = await provision(['lab', 'up', 'inventory/seed.yaml']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('10.43.0.29 is not a lab address');
  });
});
