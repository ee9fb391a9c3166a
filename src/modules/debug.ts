import { z } from 'zod';
import { evaluate } from '../template/render.js';
import { defineModule } from './types.js';

export const debug = defineModule({
  name: 'debug',
  schema: z.strictObject({ msg: z.unknown().optional(), var: z.string().optional() }),
  freeForm: 'msg',
  async plan({ args, vars }) {
    const value = args.var !== undefined ? evaluate(args.var, vars) : (args.msg ?? 'Hello world!');
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return { changes: [], msg: args.var !== undefined ? `${args.var} = ${text}` : text, data: { msg: value } };
  },
});

export const setFact = defineModule({
  name: 'set_fact',
  schema: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), z.unknown()),
  definesVariables: (args) => Object.keys(args),
  argumentsDoc: 'any `name: value` pairs',
  async plan({ args }) {
    return { changes: [], facts: args, msg: Object.keys(args).join(', ') };
  },
});

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
