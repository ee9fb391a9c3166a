import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  type AnsibleConfig,
  becomeDefaults,
  type ConnectionFlags,
  connectionDefaults,
  loadAnsibleConfig,
  withCommandLine,
} from './config/ansible-cfg.js';
import { loadInventory } from './config/inventory.js';
import { loadPlaybook } from './config/playbook.js';
import { resolveProject } from './config/project.js';
import { YamlSource } from './config/source.js';
import { forgetInputFiles } from './core/input-files.js';
import type { Vars } from './core/vars.js';
import { Runner } from './engine/runner.js';
import { parseExtraVar } from './engine/vars.js';
import { describeUnexpected, ExitCode, must, ProvisionError } from './errors.js';
import { lintCommand } from './keepalived/lint-command.js';
import { labCommand } from './lab/lab-command.js';
import { safe } from './report/format.js';
import { jsonReporter, plainReporter, type Reporter } from './report/plain.js';
import { reportCommand } from './report/report-command.js';
import { reportFormat, reportingReporter } from './report/report-file.js';
import { secrets } from './secrets.js';
import { withVaultPasswords } from './vault/cli-options.js';
import { readBecomePasswordFile } from './vault/password-file.js';
import { askHidden } from './vault/prompt.js';
import { vaultCommand } from './vault/vault-command.js';

interface UpOptions extends ConnectionFlags {
  inventory: string[];
  playbook?: string;
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string;
  skipTags?: string;
  extraVars: string[];
  forks?: string;
  forceHandlers?: boolean;
  detailedExitcode?: boolean;
  verbose?: number;
  json?: boolean;
  report?: string;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  taskTimeout?: string;
  askBecomePass?: boolean;
  becomePasswordFile?: string;
  /** --become-pass-file: Ansible's other spelling. */
  becomePassFile?: string;
  lint: boolean;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const DEFAULT_FORKS = 10;

/** ansible.cfg's vault_password_file under ANSIBLE_VAULT_PASSWORD_FILE, which wins over it as in Ansible. */
function vaultEnv(cfg: AnsibleConfig): NodeJS.ProcessEnv {
  const file = process.env.ANSIBLE_VAULT_PASSWORD_FILE ?? cfg.vaultPasswordFile;
  return file === undefined ? process.env : { ...process.env, ANSIBLE_VAULT_PASSWORD_FILE: file };
}
const err = (line: string) => process.stderr.write(`${safe(line)}\n`);

/** The playbook used when none is named: playbooks/site.yaml of the project holding the inventory. */
function defaultPlaybook(inventory: string): string {
  let dir = dirname(resolve(inventory));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'playbooks', 'site.yaml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return 'playbooks/site.yaml';
}

function loadExtraVars(values: string[]): Vars {
  const vars: Vars = {};
  for (const v of values) {
    if (v.startsWith('@')) {
      const src = YamlSource.fromFile(v.slice(1));
      if (!src.value || typeof src.value !== 'object')
        throw new ProvisionError('usage', `-e ${v}: the file must hold a mapping of variables`);
      Object.assign(vars, src.value);
    } else {
      try {
        Object.assign(vars, parseExtraVar(v));
      } catch (e) {
        throw new ProvisionError('usage', (e as Error).message, { hint: 'write -e name=value or -e @vars.yaml' });
      }
    }
  }
  secrets.collect(vars);
  return vars;
}

/** --become-password-file over ansible.cfg's become_password_file (and its variable), as ansible-playbook reads them. */
function becomePasswordFromFile(o: UpOptions, cfg: AnsibleConfig): string | undefined {
  const flag = o.becomePasswordFile ?? o.becomePassFile;
  const file = flag === undefined ? cfg.becomePasswordFile : flag === '-' ? flag : resolve(flag);
  return file === undefined ? undefined : readBecomePasswordFile(file);
}

/** What a run is made of, loaded from the command line (up, plan, apply). */
async function loadRun(words: string[], o: UpOptions, cfg: AnsibleConfig) {
  for (const w of cfg.warnings) err(`warning: ${w}`);
  const forks = o.forks === undefined ? (cfg.forks ?? DEFAULT_FORKS) : Number(o.forks);
  if (!Number.isInteger(forks) || forks < 1)
    throw new ProvisionError('usage', `--forks must be a whole number of at least 1, got "${o.forks ?? forks}"`);
  const taskTimeout = o.taskTimeout === undefined ? undefined : Number(o.taskTimeout);
  if (taskTimeout !== undefined && !(Number.isInteger(taskTimeout) && taskTimeout >= 0))
    throw new ProvisionError('usage', `--task-timeout must be a whole number of seconds (0: no limit), got "${o.taskTimeout}"`);
  if (o.report) reportFormat(o.report);
  // Asked once, before anything loads, as ansible-playbook -K does; a secret from then on.
  const becomePassword = o.askBecomePass
    ? await askHidden('BECOME password: ', {
        what: 'become password',
        hint: 'set ansible_become_password in the inventory (vault it) instead of -K',
      })
    : becomePasswordFromFile(o, cfg);
  if (becomePassword !== undefined) secrets.add(becomePassword);
  const project = resolveProject({ positional: words, inventory: o.inventory, playbook: o.playbook }, cfg);
  const playbookFile = project.playbook ?? defaultPlaybook(must(project.inventory[0], 'an inventory source'));
  // group_vars/ and host_vars/ beside the playbook count, as in Ansible: the loader needs its directory.
  const settings = withCommandLine(cfg, o);
  for (const own of Object.values(settings.becomePlugins)) if (own.password !== undefined) secrets.add(own.password);
  const inv = loadInventory(project.inventory, { playbookDir: dirname(resolve(playbookFile)), defaults: connectionDefaults(settings) });
  const pb = loadPlaybook(playbookFile, { rolesPath: settings.rolesPath });
  const extraVars = loadExtraVars(o.extraVars);
  const options = {
    // A report shows every diff; the screen only with --diff (makeReporter).
    diff: !!o.diff || !!o.report,
    limit: o.limit,
    tags: o.tags?.split(',').filter(Boolean),
    skipTags: o.skipTags?.split(',').filter(Boolean),
    extraVars,
    forks,
    forceHandlers: o.forceHandlers,
    hostKeyPolicy: o.hostKeyChecking,
    loadChecks: o.lint,
    taskTimeout,
    verbosity: o.verbose ?? 0,
    configFile: cfg.file,
    managed: cfg.managed,
    become: { ...becomeDefaults(settings), ...(becomePassword === undefined ? {} : { password: becomePassword }) },
  };
  return { inv, pb, playbookFile, inventory: project.inventory, options };
}

/** The screen's reporter, and with --report one that also writes the report file when the run ends. */
async function makeReporter(o: Pick<UpOptions, 'json' | 'verbose' | 'diff' | 'report'>, kind: 'up' | 'plan' | 'apply'): Promise<Reporter> {
  const reportOpts = { verbose: (o.verbose ?? 0) > 0, diff: !!o.diff };
  // listr2 is loaded only where it draws: a terminal. Start-up time counts on every run.
  const tty = !o.json && process.stdout.isTTY && !process.env.CI;
  const screen = o.json
    ? jsonReporter(out)
    : tty
      ? (await import('./report/tty.js')).ttyReporter(out, reportOpts)
      : plainReporter(out, reportOpts);
  return o.report ? reportingReporter(screen, o.report, { kind, provisionVersion: packageVersion() }) : screen;
}

async function up(words: string[], o: UpOptions, cfg: AnsibleConfig): Promise<number> {
  const { inv, pb, options } = await loadRun(words, o, cfg);
  const reporter = await makeReporter(o, 'up');
  const runner = new Runner(inv, pb, {
    ...options,
    check: !!o.check,
    detailedExitCode: o.detailedExitcode,
    sink: (e) => reporter.handle(e),
  });
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(ExitCode.interrupted);
    runner.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await runner.run();
    await reporter.flush();
    return summary.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function plan(words: string[], o: UpOptions & { out: string }, cfg: AnsibleConfig): Promise<number> {
  forgetInputFiles();
  const { inv, pb, playbookFile, inventory, options } = await loadRun(words, o, cfg);
  const { makePlan } = await import('./plan/plan-command.js');
  return makePlan({
    inv,
    pb,
    options,
    run: {
      inventory: inventory.map((f) => resolve(f)),
      playbook: resolve(playbookFile),
      limit: o.limit,
      tags: options.tags,
      skipTags: options.skipTags,
      // As given: the plan file masks them and keeps their hash.
      extraVars: o.extraVars,
      forks: options.forks,
      taskTimeout: options.taskTimeout,
      forceHandlers: o.forceHandlers,
    },
    version: packageVersion(),
    reporter: await makeReporter(o, 'plan'),
    out: o.out,
    write: o.json ? undefined : out,
  });
}

interface ApplyOptions {
  allOrNothing?: boolean;
  report?: string;
  extraVars: string[];
  diff?: boolean;
  verbose?: number;
  json?: boolean;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
}

/** The run of the plan again, from what the plan says it was made of. */
async function apply(file: string, o: ApplyOptions, cfg: AnsibleConfig): Promise<number> {
  const { readPlan } = await import('./plan/plan-file.js');
  const { applyDigest } = await import('./plan/plan-key.js');
  const { sameExtraVars } = await import('./plan/run-inputs.js');
  const saved = readPlan(file);
  const digest = applyDigest(saved);
  const r = saved.run;
  const extraVars = o.extraVars.length ? o.extraVars : r.extraVars;
  if (!sameExtraVars(r, extraVars, digest))
    throw new ProvisionError('usage', `the -e values differ from the plan's (${r.extraVars.join(' ') || 'none'})`, {
      hint: 'give apply the same -e values as plan (a masked one must be given again)',
    });
  const runOpts: UpOptions = {
    inventory: r.inventory,
    playbook: r.playbook,
    limit: r.limit,
    tags: r.tags?.join(','),
    skipTags: r.skipTags?.join(','),
    extraVars,
    forks: String(r.forks),
    taskTimeout: r.taskTimeout === undefined ? undefined : String(r.taskTimeout),
    forceHandlers: r.forceHandlers,
    diff: o.diff,
    hostKeyChecking: o.hostKeyChecking,
    lint: true,
  };
  const { inv, pb, options } = await loadRun([], runOpts, cfg);
  const { applyPlan } = await import('./plan/apply-command.js');
  return applyPlan({
    plan: saved,
    inv,
    pb,
    options,
    version: packageVersion(),
    digest,
    allOrNothing: !!o.allOrNothing,
    hostKeyPolicy: o.hostKeyChecking,
    reporter: await makeReporter(o, 'apply'),
    write: (line) => out(safe(line)),
  });
}

export function buildProgram(setCode: (c: number) => void): Command {
  const program = new Command('provision')
    .description('Agentless provisioning over SSH: inventories, idempotent playbooks, honest dry runs.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run provision --help for usage)');

  // ansible.cfg is read before the vault hook runs: its vault_password_file opens vaulted inventories.
  let cfg: AnsibleConfig | undefined;
  const config = () => {
    cfg ??= loadAnsibleConfig(process.env, process.cwd());
    return cfg;
  };
  withRunOptions(withVaultPasswords(program.command('up'), () => vaultEnv(config())))
    .description('run a playbook against the hosts of an inventory (provision up INVENTORY, or as ansible-playbook: -i INVENTORY PLAYBOOK)')
    .argument('[inventory]', 'inventory: a YAML or INI file or a directory (default: -i, or the inventory of ansible.cfg)')
    .argument('[playbook]', 'playbook to run, as ansible-playbook takes it (same as --playbook)')
    .option('-C, --check', 'dry run: read state, change nothing, report what would change')
    .option('--detailed-exitcode', `with --check: exit ${ExitCode.changesPending} when changes are pending`)
    .action(async (inventory: string | undefined, playbook: string | undefined, o: UpOptions) =>
      setCode(
        await up(
          [inventory, playbook].filter((w): w is string => w !== undefined),
          o,
          config(),
        ),
      ),
    );

  withRunOptions(withVaultPasswords(program.command('plan'), () => vaultEnv(config())))
    .description('a check run saved as a plan to review, then apply exactly (exit 6 when changes are pending)')
    .argument('[inventory]', 'inventory, as for up')
    .argument('[playbook]', 'playbook, as for up')
    .requiredOption('-o, --out <file>', 'where to write the plan (JSON; docs/plan.schema.json)')
    .action(async (inventory: string | undefined, playbook: string | undefined, o: UpOptions & { out: string }) =>
      setCode(
        await plan(
          [inventory, playbook].filter((w): w is string => w !== undefined),
          o,
          config(),
        ),
      ),
    );

  withVaultPasswords(program.command('apply'), () => vaultEnv(config()))
    .description(`make exactly the changes of a plan; what drifted since is refused (exit ${ExitCode.planRefused})`)
    .argument('<plan>', 'a plan written by provision plan --out')
    .option('--all-or-nothing', 'when any host drifted, apply nothing anywhere')
    .option(
      '-e, --extra-vars <key=value|@file>',
      "the plan's -e values again, when they held a secret (the plan keeps them masked)",
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('-D, --diff', 'show a unified diff of every file change')
    .option('-v, --verbose', 'more output (repeat for more)', (_: string, n: number) => n + 1, 0)
    .option('--json', 'one JSON event per line')
    .option('--report <file>', 'also write a report of the apply, as for up (.html, .md or .json)')
    .addOption(new Option('--host-key-checking <mode>', 'as for up').choices(['strict', 'accept-new', 'off']))
    .action(async (file: string, o: ApplyOptions) => setCode(await apply(file, o, config())));

  withVaultPasswords(program.command('lint'))
    .description('check the keepalived cluster described by an inventory, before anything runs')
    .argument('<inventory>')
    .option('--json', 'findings as JSON')
    .action(async (inventory: string, o: { json?: boolean }) => setCode(lintCommand(inventory, o, out)));

  withVaultPasswords(program.command('verify'))
    .description("run the tutorial's failover test on a deployed keepalived cluster and time it")
    .argument('<inventory>')
    .option('--json', 'steps as JSON lines')
    .action(async (inventory: string, o: { json?: boolean }) =>
      setCode(await (await import('./keepalived/verify-command.js')).verifyCommand(inventory, o, out)),
    );

  program
    .command('modules')
    .description('the module reference: every argument, its type, default and meaning')
    .action(async () => {
      out((await import('./registry/reference.js')).moduleReference());
      setCode(ExitCode.ok);
    });

  program.addCommand(labCommand(setCode, out));
  program.addCommand(vaultCommand(setCode));
  program.addCommand(reportCommand(setCode, out));
  // Settings given to `program` reach only the commands made after them through `.command()`:
  // commands added whole (lab and its own) get them here, so their usage errors exit 5 too.
  forEachCommand(program, (c) => c.exitOverride().showHelpAfterError('(run provision --help for usage)'));
  return program;
}

/** The flags of a run, shared by up and plan (as ansible-playbook's). */
function withRunOptions(c: Command): Command {
  return c
    .option('-D, --diff', 'show a unified diff of every file change')
    .option(
      '-i, --inventory <path>',
      'inventory file or directory, as ansible-playbook -i (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('-p, --playbook <file>', 'playbook to run (default: playbooks/site.yaml beside the inventory)')
    .option('-l, --limit <pattern>', 'only these hosts (pattern, or @retry-file)')
    .option('-t, --tags <tags>', 'only tasks with these tags (comma separated)')
    .option('--skip-tags <tags>', 'skip tasks with these tags')
    .option(
      '-e, --extra-vars <key=value|@file>',
      'extra variables (highest precedence); repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('-u, --user <name>', 'connect as this user unless the inventory sets ansible_user (default: remote_user of ansible.cfg)')
    .option(
      '--private-key <file>',
      'SSH key unless the inventory sets ansible_ssh_private_key_file (default: private_key_file of ansible.cfg)',
    )
    .option('-b, --become', 'become another user unless the play or the inventory (ansible_become) says otherwise')
    .option('--become-user <name>', 'the user to become unless the play or the inventory (ansible_become_user) names one')
    .addOption(
      new Option('--become-method <method>', 'sudo or su, unless the play or the inventory (ansible_become_method) says').choices([
        'sudo',
        'su',
      ]),
    )
    .option('-K, --ask-become-pass', 'ask for the become (sudo or su) password on the terminal, once')
    .addOption(
      new Option(
        '--become-password-file <file>',
        'the become password from a file, or the output of an executable one (- reads standard input); default: become_password_file of ansible.cfg',
      ).conflicts(['askBecomePass', 'becomePassFile']),
    )
    .addOption(new Option('--become-pass-file <file>', 'the same as --become-password-file').conflicts('askBecomePass').hideHelp())
    .option(
      '-T, --timeout <seconds>',
      'SSH connect timeout unless the inventory sets provision_connect_timeout (default: timeout of ansible.cfg, else 10)',
    )
    .option('-f, --forks <n>', `hosts worked on at once (default: forks of ansible.cfg, else ${DEFAULT_FORKS})`)
    .option('--force-handlers', 'run notified handlers even on hosts that failed')
    .option('--task-timeout <seconds>', 'time limit of each try of a task whose task and play set no timeout (0: none)')
    .option('-v, --verbose', 'more output (repeat for more)', (_: string, n: number) => n + 1, 0)
    .option('--json', 'one JSON event per line')
    .option(
      '--report <file>',
      'also write a report of the run: FILE.html (a page), FILE.md (a merge-request comment) or FILE.json (the run record)',
    )
    .addOption(
      new Option(
        '--host-key-checking <mode>',
        'unknown host keys: refuse (strict) or record (accept-new); changed keys are always refused',
      ).choices(['strict', 'accept-new', 'off']),
    )
    .option('--no-lint', "skip the checks the playbook's modules run before any connection (the keepalived cluster lint)");
}

function forEachCommand(c: Command, f: (c: Command) => void): void {
  f(c);
  for (const sub of c.commands) forEachCommand(sub, f);
}

/** The version in package.json, read where it runs (dist/ or src/ sit beside it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof ProvisionError) {
      err(`error: ${e.describe()}`);
      return e.exitCode;
    }
    err(describeUnexpected(e));
    return ExitCode.internal;
  }
}
