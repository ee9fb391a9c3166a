import { defineRead } from '../core/reads.js';

export type MountPointArgs = { path: string };

/** What is mounted on a path, from /proc/self/mountinfo (bind mounts included); null when nothing is. */
export type MountPoint = { source: string; fstype: string; options: string; root: string } | null;

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** The last mount on a path (the one in effect), as Ansible's ismount and is_bind_mounted see it. */
export const mountPoint = defineRead({
  name: 'mount_point',
  command: (_: MountPointArgs) => 'cat /proc/self/mountinfo',
  parse({ exitCode, stdout, stderr }, { path }): MountPoint {
    if (exitCode !== 0) throw new Error(`cannot read /proc/self/mountinfo: ${stderr.trim() || `exit ${exitCode}`}`);
    const want = path.replace(/\/+$/, '') || '/';
    let found: MountPoint = null;
    for (const line of stdout.split('\n')) {
      const [pre, post] = line.split(' - ');
      if (post === undefined || pre === undefined) continue;
      const f = pre.split(' ');
      const [fstype = '', source = ''] = post.split(' ');
      if (unescapeMountinfo(f[4] ?? '') === want)
        found = { source: unescapeMountinfo(source), fstype, options: f[5] ?? '', root: unescapeMountinfo(f[3] ?? '') };
    }
    return found;
  },
});
