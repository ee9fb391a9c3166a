import type { Case } from '../case.js';
import { read } from '../fake-reader.js';

const SSH4 = '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=73736820696e';
const SSH6 = '### tuple ### allow tcp 22 ::/0 any ::/0 in comment=73736820696e';
const ACTIVE = 'Status: active\nLogging: on (low)\nDefault: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n';

const ufwState = (o: { active?: boolean; rules4?: string[]; rules6?: string[]; incoming?: string; logLevel?: string } = {}) =>
  read(
    'ufw_state',
    {},
    {
      installed: true,
      status: o.active ? ACTIVE : 'Status: inactive\n',
      rules4: o.rules4 ?? [],
      rules6: o.rules6 ?? [],
      policy: { incoming: o.incoming ?? 'deny', outgoing: 'allow', routed: 'deny' },
      logLevel: o.logLevel ?? 'low',
    },
  );
const SSH_ARGV = ['allow', 'from', 'any', 'to', 'any', 'port', '22', 'proto', 'tcp', 'comment', 'ssh in'];
const dryRun = (argv: string[], rules4: string[] | null, rules6: string[] | null) =>
  read('ufw_dry_run', { argv }, { ok: true, rules4, rules6 });
const SSH_RULE = { rule: 'allow', port: 22, proto: 'tcp', comment: 'ssh in' };

export const firewallCases: Case[] = [
  {
    name: 'ufw adds a rule its dry run shows in both rules files, in one round trip',
    module: 'community.general.ufw',
    args: SSH_RULE,
    reads: [ufwState(), dryRun(SSH_ARGV, [SSH4], [SSH6])],
    roundTrips: 1,
    changes: ['add rule allow from any to any port 22 proto tcp comment ssh in'],
    data: {
      commands: [
        '/usr/sbin/ufw status verbose',
        "/usr/bin/grep -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules",
        '/usr/sbin/ufw --version',
        "/usr/sbin/ufw allow from any to any port 22 proto tcp comment 'ssh in'",
        '/usr/sbin/ufw status verbose',
      ],
    },
  },
  {
    name: 'ufw twin: the rule is there (ufw says Skipping)',
    module: 'community.general.ufw',
    args: SSH_RULE,
    reads: [ufwState({ rules4: [SSH4], rules6: [SSH6] }), dryRun(SSH_ARGV, null, null)],
    changes: [],
  },
  {
    name: 'ufw in check mode makes the same reads and reports the rule',
    module: 'ufw',
    check: true,
    args: SSH_RULE,
    reads: [ufwState({ active: true }), dryRun(SSH_ARGV, [SSH4], [SSH6])],
    changes: ['add rule allow from any to any port 22 proto tcp comment ssh in'],
  },
  {
    name: 'ufw deletes a rule that is there',
    module: 'ufw',
    args: { ...SSH_RULE, delete: true },
    reads: [ufwState({ rules4: [SSH4], rules6: [SSH6] }), dryRun(['delete', ...SSH_ARGV], [], [])],
    changes: ['delete rule allow from any to any port 22 proto tcp comment ssh in'],
  },
  {
    name: 'ufw twin: deleting a rule that is not there changes nothing',
    module: 'ufw',
    args: { ...SSH_RULE, delete: true },
    reads: [ufwState(), dryRun(['delete', ...SSH_ARGV], [], [])],
    changes: [],
  },
  {
    name: 'ufw fails with what ufw says of a bad rule',
    module: 'ufw',
    args: { rule: 'allow', port: 99999 },
    reads: [
      ufwState(),
      read(
        'ufw_dry_run',
        { argv: ['allow', 'from', 'any', 'to', 'any', 'port', '99999'] },
        { ok: false, message: "ERROR: Bad port '99999'" },
      ),
    ],
    failed: /Bad port/,
  },
  {
    name: 'ufw enables an inactive firewall',
    module: 'ufw',
    args: { state: 'enabled' },
    reads: [ufwState()],
    changes: ['enable the firewall'],
  },
  {
    name: 'ufw twin: the firewall is active',
    module: 'ufw',
    args: { state: 'enabled' },
    reads: [ufwState({ active: true })],
    changes: [],
    msg: ACTIVE.trimEnd(),
  },
  {
    name: 'ufw reloaded reloads every time',
    module: 'ufw',
    args: { state: 'reloaded' },
    reads: [ufwState({ active: true })],
    changes: ['reload the firewall'],
    alwaysChanges: 'reloaded and reset report changed every time, as in Ansible',
  },
  {
    name: 'ufw sets a default policy from the config file while inactive',
    module: 'ufw',
    args: { policy: 'reject', direction: 'incoming' },
    reads: [ufwState()],
    changes: ['default reject incoming'],
  },
  {
    name: 'ufw twin: the default policy is already that',
    module: 'ufw',
    args: { policy: 'reject', direction: 'incoming' },
    reads: [ufwState({ incoming: 'reject' })],
    changes: [],
  },
  {
    name: 'ufw sets the log level',
    module: 'ufw',
    args: { logging: 'medium' },
    reads: [ufwState({ active: true })],
    changes: ['logging medium'],
  },
  {
    name: 'ufw twin: the log level is set',
    module: 'ufw',
    args: { logging: 'medium' },
    reads: [ufwState({ active: true, logLevel: 'medium' })],
    changes: [],
  },
  {
    name: 'ufw refuses a rule direction meant for policies',
    module: 'ufw',
    args: { rule: 'allow', direction: 'incoming', port: 80 },
    reads: [ufwState(), dryRun(['allow', 'incoming', 'from', 'any', 'to', 'any', 'port', '80'], [], [])],
    failed: /direction must be one of "in" and "out"/,
  },
  {
    name: 'ufw fails where ufw is not installed',
    module: 'ufw',
    args: { state: 'enabled' },
    reads: [read('ufw_state', {}, { installed: false })],
    failed: /required executable "ufw"/,
  },
];
