import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { type UfwDryRun, ufwDryRun } from '../reads/ufw-dry-run.js';
import { type UfwState, ufwState } from '../reads/ufw-state.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const text = z.union([z.string(), z.number()]).transform(String);

const schema = withAliases(
  {
    state: z.enum(['enabled', 'disabled', 'reloaded', 'reset']).optional().describe('turn the firewall on or off, reload it, or reset it'),
    default: z.enum(['allow', 'deny', 'reject']).optional().describe('a default policy, for `direction` (incoming when absent)'),
    logging: z.enum(['on', 'off', 'low', 'medium', 'high', 'full']).optional().describe('the log level'),
    direction: z
      .enum(['in', 'incoming', 'out', 'outgoing', 'routed'])
      .optional()
      .describe('in/out for a rule; incoming/outgoing/routed for a default policy'),
    rule: z.enum(['allow', 'deny', 'limit', 'reject']).optional().describe('add (or with delete, remove) a rule'),
    delete: yesNo.default(false).describe('remove the rule instead of adding it'),
    insert: z.coerce.number().int().optional().describe('insert the rule at this position (1 is first)'),
    route: yesNo.default(false).describe('a routed (forwarding) rule'),
    interface: z.string().optional().describe('the interface the rule applies to; needs direction'),
    log: yesNo.default(false).describe('log new connections the rule matches'),
    from_ip: z.string().default('any').describe('source address or network'),
    from_port: text.optional().describe('source port or range'),
    to_ip: z.string().default('any').describe('destination address or network'),
    to_port: text.optional().describe('destination port or range'),
    proto: z.enum(['ah', 'any', 'esp', 'ipv6', 'tcp', 'udp', 'gre', 'igmp']).optional().describe('protocol'),
    name: z.string().optional().describe('an application profile (ufw app list)'),
    comment: z.string().optional().describe('a comment kept with the rule'),
  },
  {
    policy: 'default',
    if: 'interface',
    from: 'from_ip',
    src: 'from_ip',
    to: 'to_ip',
    dest: 'to_ip',
    port: 'to_port',
    protocol: 'proto',
    app: 'name',
  },
)
  .refine((a) => a.state !== undefined || a.default !== undefined || a.rule !== undefined || a.logging !== undefined, {
    message: 'one of the following is required: state, default, rule, logging',
  })
  .refine((a) => a.interface === undefined || a.direction !== undefined, { message: 'interface needs direction' })
  .refine((a) => [a.name, a.proto, a.logging].filter((v) => v !== undefined).length < 2, {
    message: 'parameters are mutually exclusive: name|proto|logging',
  });
export type UfwArgs = z.infer<typeof schema>;

const STATE_WORDS = { enabled: 'enable', disabled: 'disable', reloaded: 'reload', reset: 'reset' } as const;

/** The rule as ufw's long form takes it: [route] [delete] [insert N] ACTION [DIR] [on IF] [log] from A [port P] to B [port P] [proto P] [app N] [comment C]. */
export function ruleArgv(a: UfwArgs): string[] {
  const rule = a.rule ?? 'allow';
  const argv: string[] = [];
  if (a.route) argv.push('route');
  if (a.delete) argv.push('delete');
  else if (a.insert !== undefined) argv.push('insert', String(a.insert));
  argv.push(rule);
  if (a.direction) argv.push(a.direction);
  if (a.interface) argv.push('on', a.interface);
  if (a.log) argv.push('log');
  argv.push('from', a.from_ip);
  if (a.from_port) argv.push('port', a.from_port);
  argv.push('to', a.to_ip);
  if (a.to_port) argv.push('port', a.to_port);
  if (a.proto) argv.push('proto', a.proto);
  if (a.name) argv.push('app', a.name);
  if (a.comment !== undefined) argv.push('comment', a.comment);
  return argv;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** A rule changes the host when a rules file it would write keeps other tuples than it does now. */
export function ruleChanges(state: Extract<UfwState, { installed: true }>, dry: Extract<UfwDryRun, { ok: true }>): boolean {
  return (dry.rules4 !== null && !sameLines(dry.rules4, state.rules4)) || (dry.rules6 !== null && !sameLines(dry.rules6, state.rules6));
}

/** `logging on` keeps a level already set (low when it was off). */
function loggingChanges(current: string, wanted: string): boolean {
  if (wanted === 'on') return current === 'off';
  return current !== wanted;
}

/** The commands as Ansible's module reports them (`commands`), in its order: state, default, rule, logging. */
function ansibleCommands(a: UfwArgs, check: boolean): string[] {
  const ufw = '/usr/sbin/ufw';
  const dry = check ? ' --dry-run' : '';
  const out = [
    `${ufw} status verbose`,
    "/usr/bin/grep -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules",
  ];
  if (a.state && !check) out.push(`${ufw}${dry} -f ${STATE_WORDS[a.state]}`);
  if (a.default && !check) out.push(`${ufw}${dry} default ${a.default}${a.direction ? ` ${a.direction}` : ''}`);
  if (a.rule) out.push(`${ufw} --version`, `${ufw}${dry} ${commandLine(ruleArgv(a))}`);
  if (a.logging && !check) out.push(`${ufw}${dry} logging ${a.logging}`);
  if (!check) out.push(`${ufw} status verbose`);
  return out;
}

/**
 * Decides from the state read before and, for a rule, ufw's own dry run. Where ufw keeps a setting
 * `ufw status` does not show (a policy or log level while inactive, the routed policy while the
 * kernel does not forward), the config files decide: Ansible then reports ok although its command
 * changed the file (or always changed, for logging); provision changes it and says so.
 */
export function decideUfw(a: UfwArgs, state: UfwState, dry: UfwDryRun | null, check: boolean): Plan {
  if (!state.installed) return { changes: [], failed: 'Failed to find required executable "ufw" in paths' };
  if (a.default !== undefined && !['incoming', 'outgoing', 'routed', undefined].includes(a.direction))
    return {
      changes: [],
      failed: 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.',
    };
  if (a.rule !== undefined && !['in', 'out', undefined].includes(a.direction))
    return { changes: [], failed: 'For rules, direction must be one of "in" and "out", or direction must not be specified.' };
  const changes: Change[] = [];
  const ufw = (argv: string[], description: string) =>
    changes.push({ kind: 'exec', command: `LANG=C ${commandLine(['ufw', ...argv])}`, description });
  const active = /^Status: active$/m.test(state.status);
  if (a.state === 'enabled' && !active) ufw(['-f', 'enable'], 'enable the firewall');
  if (a.state === 'disabled' && active) ufw(['-f', 'disable'], 'disable the firewall');
  if (a.state === 'reloaded') ufw(['-f', 'reload'], 'reload the firewall');
  if (a.state === 'reset') ufw(['-f', 'reset'], 'reset the firewall');
  if (a.default !== undefined) {
    const direction = (a.direction ?? 'incoming') as 'incoming' | 'outgoing' | 'routed';
    if (state.policy[direction] !== a.default) ufw(['default', a.default, direction], `default ${a.default} ${direction}`);
  }
  if (a.rule !== undefined) {
    if (dry === null || !dry.ok)
      return { changes: [], failed: dry?.ok === false ? dry.message : 'no dry run', data: { commands: ansibleCommands(a, check) } };
    if (ruleChanges(state, dry))
      ufw(
        ruleArgv(a),
        `${a.delete ? 'delete' : 'add'} rule ${ruleArgv(a)
          .filter((w) => w !== 'delete')
          .join(' ')}`,
      );
  }
  if (a.logging !== undefined && loggingChanges(state.logLevel, a.logging)) ufw(['logging', a.logging], `logging ${a.logging}`);
  const data: Record<string, unknown> = { commands: ansibleCommands(a, check) };
  return { changes, data, msg: check || changes.length > 0 ? undefined : state.status.replace(/\s+$/, '') };
}

export const ufw = defineModule({
  name: 'ufw',
  collection: 'community.general',
  schema,
  async plan({ args, reader, check }) {
    if (args.rule === undefined) return decideUfw(args, await reader.get(ufwState, {}), null, check);
    const [state, dry] = await reader.getAll([ask(ufwState, {}), ask(ufwDryRun, { argv: ruleArgv(args) })] as const);
    return decideUfw(args, state, dry, check);
  },
  async resultAfterApply({ reader }) {
    const state = await reader.get(ufwState, {});
    return state.installed ? { msg: state.status.replace(/\s+$/, '') } : {};
  },
});
