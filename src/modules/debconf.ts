import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { debconfSelections } from '../reads/debconf-selections.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const VTYPES = ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'] as const;

/** Ansible's `str` argument type: YAML booleans become True/False, numbers their text. */
const pyStr = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)));

const schema = withAliases(
  {
    name: z.string().min(1).describe('the package the questions belong to'),
    question: z.string().min(1).optional().describe('the question (locales/default_environment_locale)'),
    vtype: z.enum(VTYPES).optional().describe('the type of the answer'),
    value: pyStr.optional().describe('the answer'),
    unseen: yesNo.default(false).describe('do not mark the question as seen (debconf-set-selections -u)'),
  },
  { pkg: 'name', selection: 'question', setting: 'question', answer: 'value' },
).refine(
  (a) => [a.question, a.vtype, a.value].every((x) => x === undefined) || [a.question, a.vtype, a.value].every((x) => x !== undefined),
  {
    message: 'parameters are required together: question, vtype, value',
  },
);
export type DebconfArgs = z.infer<typeof schema>;

/** Pure decision: set the answer when the question is unknown or answered otherwise (booleans compared as debconf writes them). */
export function decideDebconf(a: DebconfArgs, prev: Record<string, string>): Plan {
  if (a.question === undefined || a.vtype === undefined || a.value === undefined)
    return { changes: [], msg: '', data: { msg: '', current: prev } };
  const existing = prev[a.question];
  // As Ansible: a boolean answer is lowercased when compared with an existing one, and True/False written as debconf spells them.
  const value = existing !== undefined && a.vtype === 'boolean' ? a.value.toLowerCase() : a.value;
  if (existing !== undefined && value === (a.vtype === 'boolean' ? existing.toLowerCase() : existing))
    return { changes: [], msg: '', data: { msg: '', current: prev } };
  const written = a.vtype === 'boolean' && (value === 'True' || value === 'False') ? value.toLowerCase() : value;
  return {
    changes: [
      {
        kind: 'exec',
        command: a.unseen ? 'debconf-set-selections -u' : 'debconf-set-selections',
        stdin: Buffer.from(`${[a.name, a.question, a.vtype, written].join(' ')}\n`),
        description: `set ${a.question} (${a.vtype})`,
      },
    ],
    data: { msg: '', current: { [a.question]: value }, previous: { [a.question]: existing ?? '' } },
  };
}

export const debconf = defineModule({
  name: 'debconf',
  schema,
  async plan({ args, reader }) {
    return decideDebconf(args, await reader.get(debconfSelections, { name: args.name }));
  },
});
