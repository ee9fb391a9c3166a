import type { Vars } from '../core/vars.js';
import { isTemplated, renderString, TemplateError } from '../template/render.js';

/**
 * A task's name as Ansible shows it: `install {{ pkg }}` rendered with the host's variables. A name
 * that reads what is not defined yet (the loop's `item`, a later fact) is shown as written, as
 * ansible-playbook does; handlers are still notified by the name as written.
 */
export function shownTaskName(name: string, vars: Vars): string {
  if (!isTemplated(name)) return name;
  try {
    return renderString(name, vars);
  } catch (err) {
    // Ansible keeps the raw text when the name cannot be rendered: that is the documented result.
    if (err instanceof TemplateError) return name;
    throw err;
  }
}
