import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../src/errors.js';
import { expandProxyCommand, ProxyCommandStream } from '../../src/transport/proxy-command.js';
import { SshTransport } from '../../src/transport/ssh.js';

describe('expandProxyCommand', () => {
  const t = { hostname: '198.18.3.241', originalHost: 'db1', port: 2222, user: 'ops' };

  it("expands ssh's ProxyCommand tokens: %h %p %r %n %%", () => {
    expect(expandProxyCommand('ssh -W %h:%p -l %r gw # %n 100%%', t)).toEqual({ command: 'ssh -W 198.18.3.241:2222 -l ops gw # db1 100%' });
  });

  it('names a token ssh does not expand there, and a lone % at the end', () => {
    expect(expandProxyCommand('nc %h %p %C', t)).toEqual({ unknownToken: '%C' });
    expect(expandProxyCommand('nc %h 50%', t)).toEqual({ unknownToken: '%' });
  });
});

describe('ProxyCommandStream', () => {
  it("is the command's stdin and stdout: what goes in comes back through cat", async () => {
    const s = new ProxyCommandStream('cat');
    const back = new Promise<string>((resolve) => {
      let got = '';
      s.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.includes('\n')) resolve(got);
      });
    });
    s.write('hello through a command\n');
    expect(await back).toBe('hello through a command\n');
    s.destroy();
    expect(await s.outcome()).toMatch(/^(was killed by SIGHUP|exited with status 0)$/);
  });

  it('says how the command ended and the end of what it wrote on stderr', async () => {
    const s = new ProxyCommandStream(`sh -c 'echo first >&2; echo "channel 0: open failed" >&2; exit 255'`);
    // outcome() waits a second at most for an exit; on a loaded machine the command may not have run yet.
    const ended = new Promise((resolve) => s.once('end', resolve));
    s.resume();
    await ended;
    expect(await s.outcome()).toBe('exited with status 255: first | channel 0: open failed');
  });
});

describe('connecting through a ProxyCommand that fails', () => {
  it('is a connect error (unreachable) naming the command, its exit status and stderr; not tried again', async () => {
    const started = Date.now();
    let caught: unknown;
    try {
      await SshTransport.connect({
        name: 'h1',
        address: '198.18.3.241',
        port: 22,
        user: 'root',
        knownHostsFile: '/nonexistent/known_hosts',
        hostKeyPolicy: 'strict',
        connectTimeoutMs: 5000,
        attempts: 4,
        proxyCommand: `sh -c 'echo "no route to 198.18.3.241" >&2; exit 7'`,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProvisionError);
    const e = caught as ProvisionError;
    expect(e.kind).toBe('connect');
    expect(e.message).toContain(
      `cannot connect to root@198.18.3.241:22 through ProxyCommand "sh -c 'echo "no route to 198.18.3.241" >&2; exit 7'"`,
    );
    expect(e.message).toContain('(it exited with status 7: no route to 198.18.3.241)');
    expect(e.hint).toMatch(/run the ProxyCommand by hand/);
    // One attempt: a command that exits is not a host still booting.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
