import { z } from 'zod';
import { evaluate } from '../template/render.js';
import { defineModule } from './types.js';

/** Ansible prints a value's dict keys sorted (its callbacks dump with sort_keys): so does provision, as a JSON.stringify replacer. */
function keysSorted(_key: string, value: unknown): unknown {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    ![Object.prototype, null].includes(Object.getPrototypeOf(value))
  )
    return value;
  const dict = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(dict)
      .sort()
      .map((k) => [k, dict[k]]),
  );
}

/** Ansible's reason when a debug task asks for more -v than the run has. */
const VERBOSITY_NOT_MET = 'Verbosity threshold not met.';

export const debug = defineModule({
  name: 'debug',
  schema: z.strictObject({
    msg: z.unknown().optional(),
    var: z.string().optional(),
    verbosity: z.coerce.number().int().min(0).default(0).describe('print only when the run has at least this many -v'),
  }),
  expressionArgs: ['var'],
  async plan({ args, vars }) {
    const level = Number(vars.ansible_verbosity ?? 0);
    if (args.verbosity > level) return { changes: [], skipped: VERBOSITY_NOT_MET, data: { skipped_reason: VERBOSITY_NOT_MET } };
    const value = args.var !== undefined ? evaluate(args.var, vars) : (args.msg ?? 'Hello world!');
    const text = typeof value === 'string' ? value : JSON.stringify(value, keysSorted);
    return { changes: [], msg: args.var !== undefined ? `${args.var} = ${text}` : text, data: { msg: value } };
  },
});

export const setFact = defineModule({
  name: 'set_fact',
  schema: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), z.unknown()),
  definesVariables: (args) => Object.keys(args),
  argumentsDoc: 'any `name: value` pairs',
  async plan({ args }) {
    return { changes: [], facts: setFactValues(args), msg: Object.keys(args).join(', ') };
  },
});

/** As Ansible's set_fact (jinja2_native off): a value that is the string true/false/yes/no, any case, is stored as a boolean. */
export function setFactValues(args: Record<string, unknown>): Record<string, unknown> {
  const words: Record<string, boolean> = { true: true, yes: true, false: false, no: false };
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, typeof v === 'string' && v.toLowerCase() in words ? words[v.toLowerCase()] : v]),
  );
}

/** Only `flush_handlers` is a meta action; the engine carries it out. */
export const meta = defineModule({
  name: 'meta',
  schema: z.strictObject({ action: z.enum(['flush_handlers']) }),
  freeForm: 'action',
  engineAction: (args) => args.action,
  async plan() {
    return { changes: [] };
  },
});
