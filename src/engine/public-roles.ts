import type { TaskPosition } from './strategy.js';

/**
 * The roles include_role brought in with `public: true`, per play. Ansible appends such a role to
 * the play's roles each time the include is processed, which role_names then lists: once per
 * include (position, role and parameters) however many hosts reach it, before any of them runs it.
 */
export class PublicRoles {
  private readonly byPlay = new WeakMap<object, { names: string[]; seen: Set<string> }>();

  /** Records the role of the include at `at` (the same position on every host) once for the play. */
  add(play: object, at: TaskPosition, role: string, params: unknown): void {
    const roles = this.of(play);
    const key = JSON.stringify([at, role, params]);
    if (roles.seen.has(key)) return;
    roles.seen.add(key);
    roles.names.push(role);
  }

  names(play: object): readonly string[] {
    return this.of(play).names;
  }

  private of(play: object): { names: string[]; seen: Set<string> } {
    const known = this.byPlay.get(play);
    if (known) return known;
    const roles: { names: string[]; seen: Set<string> } = { names: [], seen: new Set() };
    this.byPlay.set(play, roles);
    return roles;
  }
}
