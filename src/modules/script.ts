import { posix } from 'node:path';
import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { pathExists } from '../reads/path-exists.js';
import { quote, splitWords } from '../shell/quote.js';
import { isVaultText } from '../vault/format.js';
import { openVaultFile } from '../vault/yaml-hook.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  cmd: z.string().min(1).describe('the script on the controller (looked for in files/) and its arguments, as a shell line (the free form)'),
  creates: z.string().optional().describe('skip when this path exists on the host'),
  removes: z.string().optional().describe('skip unless this path exists on the host'),
  chdir: z.string().regex(/^\//, 'an absolute path').optional().describe('directory to run the script in'),
  executable: z.string().min(1).optional().describe('run the script with this program (python3, bash) instead of its #! line'),
  decrypt: yesNo.default(true).describe('open a vault-encrypted script before it is sent'),
});
export type ScriptArgs = z.infer<typeof schema>;

/** The script file on the controller: the first word of the line, read as a shell word. */
export function scriptSource(cmd: string): string {
  return splitWords(cmd.trim())[0] ?? cmd.trim();
}

/**
 * The one command that runs the script: its bytes arrive on stdin into a private temp folder, it
 * runs there with the rest of the line as written (so the shell reads its arguments, as in Ansible),
 * and the folder is removed whatever happens.
 */
export function scriptCommand(a: ScriptArgs): string {
  const source = scriptSource(a.cmd);
  // A name with nothing the shell reads, so the path stays one word inside or outside double quotes.
  const name = posix.basename(source).replace(/[^A-Za-z0-9._-]/g, '_') || 'script';
  const line = a.cmd.trim().replaceAll(source, `"$t"/${name}`);
  const run = `${a.chdir ? `cd ${quote(a.chdir)} && ` : ''}${a.executable ? `${a.executable} ` : ''}${line}`;
  return ['t=$(mktemp -d) || exit 1', `cat > "$t"/${name} && chmod 0700 "$t"/${name} && ${run}`, 'rc=$?; rm -rf "$t"; exit $rc'].join('\n');
}

/** Pure decision, as Ansible's script action: creates/removes may skip; a dry run without them cannot say. */
export function decideScript(a: ScriptArgs, content: Buffer, created: boolean, removable: boolean, check: boolean): Plan {
  if (a.creates && created) return { changes: [], skipped: `${a.creates} exists, matching creates option` };
  if (a.removes && !removable) return { changes: [], skipped: `${a.removes} does not exist, matching removes option` };
  // Without creates/removes a dry run cannot know what the script would do, and Ansible skips it.
  if (check && !a.creates && !a.removes) return { changes: [], skipped: 'Check mode is not supported for this task.' };
  return {
    changes: [
      {
        kind: 'exec',
        command: scriptCommand(a),
        stdin: content,
        description: `run script ${a.cmd.trim()}`,
        streamOutput: true,
        registersOutput: true,
      },
    ],
  };
}

export const script = defineModule({
  name: 'script',
  schema,
  freeForm: 'cmd',
  roleSearchDir: 'files',
  async plan({ args, reader, files, check }) {
    const source = scriptSource(args.cmd);
    const bytes = files.readBytes(source);
    const vaulted = args.decrypt && isVaultText(bytes);
    const content = vaulted ? Buffer.from(openVaultFile(files.resolve(source), bytes.toString('utf8')).text) : bytes;
    // creates and removes in one round trip (none when neither is given).
    const paths = [args.creates, args.removes].filter((p): p is string => p !== undefined);
    const found = await reader.getAll(paths.map((path) => ask(pathExists, { path })));
    const exists = (p: string | undefined) => p !== undefined && found[paths.indexOf(p)] === true;
    return decideScript(args, content, exists(args.creates), args.removes === undefined || exists(args.removes), check);
  },
});
