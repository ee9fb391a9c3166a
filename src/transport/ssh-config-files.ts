import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { posix } from 'node:path';
import { inputError } from '../errors.js';
import type { SshConfigFiles } from './ssh-config.js';

/** One path component of a glob as a regular expression: `*` and `?` as glob(3), no dot files unless asked. */
function componentRegExp(component: string): RegExp {
  const body = component
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${component.startsWith('.') ? '' : '(?!\\.)'}${body}$`);
}

/** Expand a glob of absolute paths (`*`, `?`, `[...]` in any component), sorted: what ssh's Include reads. */
export function globPaths(pattern: string): string[] {
  let found = ['/'];
  for (const part of pattern.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const dir of found) {
      if (!/[*?[]/.test(part)) {
        const p = posix.join(dir, part);
        if (existsSync(p)) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // not a directory, or unreadable: glob(3) matches nothing there
      }
      const re = componentRegExp(part);
      for (const n of names.sort()) if (re.test(n)) next.push(posix.join(dir, n));
    }
    found = next;
  }
  return found.filter((p) => p !== '/');
}

/** A config file's text; undefined when there is none (a directory reads as none, as ssh reads it). */
function readConfigFile(path: string): string | undefined {
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw inputError(
      `ssh_config: cannot read ${path} (${code})`,
      { file: path, line: 1, col: 1 },
      'make the file readable by the user provision runs as',
    );
  }
}

/**
 * The real files and user. `home` follows $HOME (ssh itself reads the password database; a
 * test or a user pointing HOME elsewhere wants that directory's ~/.ssh).
 */
export function systemSshConfigFiles(): SshConfigFiles {
  return {
    read: readConfigFile,
    glob: globPaths,
    home: process.env.HOME ?? homedir(),
    localUser: userInfo().username,
    localHost: hostname(),
    localUid: userInfo().uid,
  };
}
