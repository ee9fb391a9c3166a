import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import type { HostReader } from '../core/reads.js';
import { must } from '../errors.js';
import { pathExists } from '../reads/path-exists.js';
import { commandLine, envAssignments, quote, splitWords } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const common = {
  creates: z.string().optional().describe('skip when this path exists'),
  removes: z.string().optional().describe('skip unless this path exists'),
  chdir: z.string().optional().describe('directory to run in'),
  environment: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('extra environment variables'),
  stdin: z.string().optional().describe('text fed to the command'),
  stream: yesNo.optional().describe('show output lines live (long builds)'),
};

const commandSchema = z
  .strictObject({
    cmd: z.string().optional().describe('the command line, split into words without a shell'),
    argv: z.array(z.string()).min(1).optional().describe('the command as a list of words'),
    ...common,
  })
  .refine((a) => (a.cmd === undefined) !== (a.argv === undefined), { message: 'give exactly one of cmd or argv' });
const shellSchema = z.strictObject({
  cmd: z.string().min(1).describe('the shell command line'),
  executable: z.string().optional().describe('the shell (default /bin/sh)'),
  ...common,
});

type Common = {
  creates?: string;
  removes?: string;
  chdir?: string;
  environment?: Record<string, unknown>;
  stdin?: string;
  stream?: boolean;
};

/** Wrap a command with chdir and environment, all quoted. */
export function wrapCommand(command: string, a: Common): string {
  let line = command;
  if (a.environment && Object.keys(a.environment).length) line = `env ${envAssignments(a.environment).map(quote).join(' ')} ${line}`;
  if (a.chdir) line = `cd ${quote(a.chdir)} && ${line}`;
  return line;
}

/** creates/removes: one round trip decides whether the command would run. */
async function guard(reader: HostReader, a: Common): Promise<string | undefined> {
  const [created, removable] = await Promise.all([
    a.creates ? reader.get(pathExists, { path: a.creates }) : false,
    a.removes ? reader.get(pathExists, { path: a.removes }) : true,
  ]);
  if (created) return `${a.creates} exists`;
  if (!removable) return `${a.removes} does not exist`;
  return undefined;
}

/** `cmd` is what Ansible registers as the command: the words for command, the line as written for shell. */
async function planRun(reader: HostReader, a: Common, command: string, description: string, cmd: string | string[]): Promise<Plan> {
  const skip = await guard(reader, a);
  if (skip) return { changes: [], msg: `skipped: ${skip}` };
  const change: Change = {
    kind: 'exec',
    command: wrapCommand(command, a),
    description,
    stdin: a.stdin !== undefined ? Buffer.from(a.stdin) : undefined,
    streamOutput: a.stream ?? true,
    registersOutput: true,
  };
  // As Ansible's command module: without creates/removes nothing tells what the command would do.
  const unguarded = a.creates === undefined && a.removes === undefined;
  return {
    changes: [change],
    data: { cmd },
    ...(unguarded ? { skipInCheck: 'would run; check mode runs no command without creates or removes' } : {}),
  };
}

export const command = defineModule({
  name: 'command',
  schema: commandSchema,
  freeForm: 'cmd',
  async plan({ args, reader }) {
    const argv = args.argv ?? splitWords(must(args.cmd, 'cmd (the schema requires cmd or argv)'));
    return planRun(reader, args, commandLine(argv), argv.join(' '), argv);
  },
});

export const shell = defineModule({
  name: 'shell',
  schema: shellSchema,
  freeForm: 'cmd',
  async plan({ args, reader }) {
    const exe = args.executable ?? '/bin/sh';
    return planRun(reader, args, `${quote(exe)} -c ${quote(args.cmd)}`, args.cmd, args.cmd);
  },
});
