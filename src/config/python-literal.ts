// Ansible's INI inventory turns each value with Python's ast.literal_eval and keeps the text when that
// fails, so `port=22` is a number and `name=web` stays a string, exactly as ansible-inventory shows
// them. The parser is the template engine's (src/jinja/literal.ts), without the JSON words the
// templar adds, and its values made plain for inventory variables.
import { LiteralError, literalEval } from '../jinja/literal.js';
import { isMapping, PyFloat } from '../jinja/value.js';

type Literal = string | number | boolean | null | Literal[] | { [k: string]: Literal };

/** The value Python's literal_eval gives for `text`, or undefined where it raises (Ansible then keeps the text). */
export function pythonLiteral(text: string): { value: Literal } | undefined {
  try {
    return { value: plain(literalEval(text, { jsonWords: false })) };
  } catch (e) {
    if (e instanceof LiteralError) return undefined;
    throw e;
  }
}

/** An inventory variable holds JSON-like values: a float box becomes its number, a tuple a list. */
function plain(v: unknown): Literal {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v as Literal;
}
