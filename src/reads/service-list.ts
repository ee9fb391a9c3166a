import { defineRead } from '../core/reads.js';

export type ServiceInfo = { name: string; state: string; status?: string; source: 'systemd' | 'sysv' };

const BAD_STATES = ['not-found', 'masked', 'failed'];

/** `service --status-all` lines (`[ + ]  ssh`), as Ansible's sysv scan reads them. */
function sysvServices(text: string, into: Record<string, ServiceInfo>): void {
  for (const m of text.matchAll(/^\s*\[ (\+|-) \]\s+(.+)$/gm)) {
    const name = m[2] ?? '';
    into[name] = { name, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
}

/** `systemctl list-units` lines, as Ansible's _list_from_units splits them (a bad state also drops the leading dot). */
function unitServices(text: string, into: Record<string, ServiceInfo>): void {
  for (const line of text.split('\n').filter((l) => l.includes('.service'))) {
    let fields = line.split(/\s+/).filter(Boolean);
    const bad = BAD_STATES.find((b) => fields.includes(b));
    const status = bad ?? fields[2] ?? '';
    if (bad) fields = fields.slice(1);
    const name = fields[0] ?? '';
    into[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
  }
}

/** `systemctl list-unit-files` lines: the status of listed units, and units not loaded with their ActiveState. */
function unitFileServices(text: string, active: Map<string, string>, into: Record<string, ServiceInfo>): void {
  for (const line of text.split('\n').filter((l) => l.includes('.service'))) {
    const [name = '', status = ''] = line.split(/\s+/).filter(Boolean);
    const known = into[name];
    if (!known) into[name] = { name, state: active.get(name) || 'unknown', status, source: 'systemd' };
    else if (!BAD_STATES.includes(known.status ?? '')) known.status = status;
  }
}

/**
 * Every service as Ansible's service_facts finds it on a Debian host with systemd, in one round trip:
 * `service --status-all` (sysv names), then systemd's units and unit files, keyed by name.
 */
export const serviceList = defineRead({
  name: 'service_list',
  command: (_: Record<string, never>) =>
    [
      'export LC_ALL=C.UTF-8 LANG=C.UTF-8',
      'if command -v service >/dev/null && ! command -v chkconfig >/dev/null && ! command -v rc-status >/dev/null; then service --status-all 2>/dev/null; fi',
      'grep -q systemd /proc/1/comm 2>/dev/null || exit 0',
      'echo @units; systemctl list-units --no-pager --type service --all',
      'echo @files; systemctl list-unit-files --no-pager --type service --all',
      // ActiveState of every unit file, for those list-units does not show (Ansible asks one by one).
      'echo @active; for u in $(systemctl list-unit-files --no-pager --no-legend --type service --all | awk \'{print $1}\'); do printf \'%s \' "$u"; systemctl show "$u" --property=ActiveState --value 2>/dev/null || echo; done',
    ].join('\n'),
  parse({ stdout }): Record<string, ServiceInfo> {
    const section = (name: string, next?: string) => {
      const at = stdout.indexOf(`@${name}\n`);
      if (at < 0) return '';
      const end = next ? stdout.indexOf(`@${next}\n`, at) : -1;
      return stdout.slice(at + name.length + 2, end < 0 ? undefined : end);
    };
    const head = stdout.indexOf('@units\n');
    const services: Record<string, ServiceInfo> = {};
    sysvServices(head < 0 ? stdout : stdout.slice(0, head), services);
    if (head < 0) return services;
    unitServices(section('units', 'files'), services);
    const active = new Map(
      section('active')
        .split('\n')
        .map((l) => l.split(' ') as [string, string?])
        .map(([n, s]) => [n, (s ?? '').trim()] as const),
    );
    unitFileServices(section('files', 'active'), active, services);
    return services;
  },
});
