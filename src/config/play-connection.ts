import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { isTemplated } from '../template/render.js';

/** How a play reaches its hosts when they do not say (their ansible_connection wins, as in Ansible). */
export type PlayConnection = 'local' | 'ssh';

// smart is Ansible's name for its default, which is ssh.
const NAMES: Record<string, PlayConnection> = { local: 'local', ssh: 'ssh', smart: 'ssh' };

export const playConnectionKeyword = { connection: z.string().optional() };

/** The play's `connection:` keyword; a plugin provision has not is named as such, with file:line:col. */
export function parsePlayConnection(value: string | undefined, location: SourceLocation): PlayConnection | undefined {
  if (value === undefined) return undefined;
  const name = value.replace(/^ansible\.builtin\./, '');
  const known = NAMES[name];
  if (known) return known;
  if (isTemplated(value))
    throw inputError(
      `connection: "${value}" is a template: not supported yet`,
      location,
      'write local or ssh, or set ansible_connection per host',
    );
  throw inputError(
    `connection: ${value} is not supported: provision connects with ssh or local`,
    location,
    'write connection: local or ssh',
  );
}
