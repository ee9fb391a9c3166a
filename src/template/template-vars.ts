import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import { strftime } from '../jinja/ansible/filters/text.js';
import { PyDateTime } from '../jinja/ansible/py-datetime.js';
import { JinjaError } from '../jinja/extension.js';
import { getAttr } from '../jinja/methods.js';
import { strFormat } from '../jinja/python.js';

/** A template file as the template module (or the template lookup) renders it. */
export interface TemplateSource {
  /** The name the task gives (`src`), or the lookup's term: Ansible's template_path and {file}. */
  path: string;
  /** Where it was found. */
  fullpath: string;
  /** The template module's dest. */
  dest?: string;
}

/** Ansible's default of `ansible_managed` ([defaults] ansible_managed in ansible.cfg). */
export const DEFAULT_MANAGED = 'Ansible managed';

// One per process, as Ansible's configuration is: the run sets it from its ansible.cfg.
let managedFormat = DEFAULT_MANAGED;

/** The [defaults] ansible_managed of the run (undefined: Ansible's default). */
export function useAnsibleManaged(format: string | undefined): void {
  managedFormat = format ?? DEFAULT_MANAGED;
}

/**
 * Ansible's variables of one template file, for the template module and the template lookup
 * (generate_ansible_template_vars in ansible-core 2.14): template_host, template_path,
 * template_fullpath, template_uid, template_mtime, template_run_date, template_destpath, and
 * ansible_managed: the ansible_managed setting with {host}, {uid} and {file} put in (str.format),
 * then given to strftime with the template's modification time, in the controller's time zone.
 */
export function templateFileVariables(src: TemplateSource, now = new Date()): Vars {
  const managed = managedFormat;
  const st = statSync(src.fullpath, { bigint: true });
  const host = hostname();
  const uid = userName(Number(st.uid));
  const mtime = Number(st.mtimeNs) / 1e9;
  let text: string;
  try {
    text = strFormat(managed, [], { host, uid, file: src.path }, getAttr);
  } catch (err) {
    if (!(err instanceof JinjaError)) throw err;
    // Python's words, as Ansible fails the task with them: KeyError for an unknown {name}.
    const words = /^'.*'$/.test(err.message) ? `KeyError: ${err.message}` : `ValueError: ${err.message}`;
    throw new ProvisionError('input', words, {
      hint: `ansible_managed (${managed}) may name {host}, {uid} and {file}; write a brace itself as {{ or }}`,
    });
  }
  return {
    template_host: host,
    template_path: src.path,
    template_fullpath: src.fullpath,
    template_uid: uid,
    template_mtime: localDateTime(mtime * 1000),
    template_run_date: localDateTime(now.getTime()),
    template_destpath: src.dest ?? null,
    ansible_managed: strftime(text, mtime, false),
  };
}

/** Python's datetime.fromtimestamp: a naive datetime in the controller's time zone. */
function localDateTime(ms: number): PyDateTime {
  const d = new Date(Math.floor(ms));
  const micro = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000) % 1_000_000;
  return new PyDateTime(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), micro);
}

/** pwd.getpwuid(uid).pw_name, from /etc/passwd; the number when no entry names it (as Ansible falls back). */
function userName(uid: number): string {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const line of passwd.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && Number(id) === uid) return name;
  }
  return String(uid);
}
