/**
 * A role's task is shown `role : task` (Ansible's screen, provision's events) or `task` (Ansible's
 * JSON callback): both sides are compared by the task's own name.
 */
export function taskName(name: string): string {
  return name.replace(/^[\w.-]+ : /, '');
}
