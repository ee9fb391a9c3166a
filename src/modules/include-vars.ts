import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Vars } from '../core/vars.js';
import { defineModule } from './types.js';

/**
 * include_vars: variables from YAML files on the controller, for the rest of the play on this host.
 * A relative file is found in the role's vars/ first, as Ansible does. Nothing on the host changes.
 */
export const includeVars = defineModule({
  name: 'include_vars',
  schema: z.strictObject({
    file: z.string().optional().describe('a YAML file of variables'),
    dir: z.string().optional().describe('every YAML file under this folder, in name order'),
    name: z.string().optional().describe('put the variables under this one name instead of at the top'),
    files_matching: z.string().optional().describe('with dir: only files whose name matches this regular expression'),
    ignore_files: z.array(z.string()).optional().describe('with dir: file names (regular expressions) to leave out'),
    extensions: z.array(z.string()).default(['yaml', 'yml', 'json']).describe('with dir: the extensions read'),
    depth: z.number().int().min(0).default(0).describe('with dir: how deep to descend (0: no limit)'),
    hash_behaviour: z.enum(['replace']).optional(),
  }),
  freeForm: 'file',
  definesAnyVariable: true,
  roleSearchDir: 'vars',
  async plan({ args, files }) {
    if ((args.file === undefined) === (args.dir === undefined)) {
      return { changes: [], failed: 'include_vars needs exactly one of file (or the free-form name) and dir' };
    }
    const read: string[] = [];
    const vars: Vars = {};
    if (args.file !== undefined) {
      Object.assign(vars, files.readVars(args.file));
      read.push(files.resolve(args.file));
    } else {
      const dir = args.dir as string;
      const matching = args.files_matching === undefined ? undefined : new RegExp(args.files_matching);
      const ignored = (args.ignore_files ?? []).map((p) => new RegExp(p));
      for (const rel of files.listFiles(dir)) {
        const name = basename(rel);
        const depth = rel.split('/').length;
        if (args.depth > 0 && depth > args.depth) continue;
        if (!args.extensions.some((e) => name.endsWith(`.${e}`))) continue;
        if (matching && !matching.test(name)) continue;
        if (ignored.some((r) => r.test(name))) continue;
        Object.assign(vars, files.readVars(join(dir, rel)));
        read.push(join(files.resolve(dir), rel));
      }
    }
    const facts = args.name === undefined ? vars : { [args.name]: vars };
    return {
      changes: [],
      facts,
      msg: `${Object.keys(facts).join(', ') || 'no variables'} from ${read.join(', ') || 'no file'}`,
      data: { ansible_facts: facts, ansible_included_var_files: read },
    };
  },
});
