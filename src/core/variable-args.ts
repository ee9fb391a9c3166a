/**
 * Arguments given as a variable (`debug: "{{ m }}"`, `args: "{{ m }}"`), as Ansible takes them: the
 * loader keeps the template under this key (Ansible's own name for it); once rendered for the host it
 * must be a mapping, and the arguments written on the task win over its keys.
 */
export const VARIABLE_ARGS = '_variable_params';

/** Ansible's warning for it (printed once a run): facts injected as variables could supply arguments. */
export const VARIABLE_ARGS_WARNING =
  "Using a variable for a task's 'args' is unsafe in some situations (see https://docs.ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)";

export type MergedArgs = { args: Record<string, unknown> } | { error: string };

/** The rendered arguments with the variable's keys under the task's own; an error in Ansible's words when it is no mapping. */
export function mergeVariableArgs(rendered: Record<string, unknown>, show: (v: unknown) => string): MergedArgs {
  if (!Object.hasOwn(rendered, VARIABLE_ARGS)) return { args: rendered };
  const { [VARIABLE_ARGS]: fromVariable, ...own } = rendered;
  if (fromVariable === null || typeof fromVariable !== 'object' || Array.isArray(fromVariable))
    return { error: `invalid or malformed argument: '${show(fromVariable)}'` };
  return { args: { ...(fromVariable as Record<string, unknown>), ...own } };
}
