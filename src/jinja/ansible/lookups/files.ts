/** Lookups that read controller files: file, template, fileglob, first_found. */
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Lookup } from '../../extension.js';
import { padNewlines } from '../../templar.js';
import { isMapping, pyStr, pyTruthy } from '../../value.js';
import { globFiles, pyBasename, pyDirname, pyJoin } from '../filters/paths.js';
import { pluginError } from '../shared.js';
import { findInSearchPath } from './search.js';

function strip(s: string, left: boolean, right: boolean): string {
  let out = s;
  if (left) out = out.replace(/^\s+/, '');
  if (right) out = out.replace(/\s+$/, '');
  return out;
}

const file: Lookup = (ctx, terms, kwargs) => {
  const { lstrip = false, rstrip = true } = kwargs;
  return terms.map((term) => {
    const name = pyStr(term);
    const path = findInSearchPath(ctx, 'files', name);
    if (!path || !statSync(path).isFile()) throw pluginError(`could not locate file in lookup: ${name}`);
    return strip(ctx.readFile(path), pyTruthy(lstrip), pyTruthy(rstrip));
  });
};

// The template lookup's options that set the environment's delimiters, named as in a #jinja2: header.
const LOOKUP_DELIMITERS = ['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string'];

const template: Lookup = (ctx, terms, kwargs) => {
  const templateVars = isMapping(kwargs.template_vars) ? kwargs.template_vars : {};
  const delimiters = Object.fromEntries(LOOKUP_DELIMITERS.filter((o) => kwargs[o] !== undefined).map((o) => [o, pyStr(kwargs[o])]));
  return terms.map((term) => {
    const name = pyStr(term);
    const path = findInSearchPath(ctx, 'templates', name);
    if (!path) throw pluginError(`the template file ${name} could not be found for the lookup`);
    const source = ctx.readFile(path);
    const own = ctx.templateVars?.(name, path) ?? {
      template_host: hostname(),
      template_path: name,
      template_fullpath: path,
      template_basename: pyBasename(name),
      template_destpath: null,
    };
    const extra = { ...own, ...templateVars };
    // The lookup keeps the template's trailing newlines, as Ansible's does (the template module too).
    return padNewlines(source, ctx.render(source, path, extra, delimiters));
  });
};

const fileglob: Lookup = (ctx, terms) => {
  const out: string[] = [];
  for (const term of terms) {
    const pattern = pyStr(term);
    const name = pyBasename(pattern);
    const dirs: (string | undefined)[] = [];
    if (name !== pattern) dirs.push(findInSearchPath(ctx, 'files', pyDirname(pattern)));
    else for (const p of ctx.searchPaths) dirs.push(pyJoin([p, 'files']), p);
    for (const dir of dirs) {
      if (!dir) continue;
      const found = globFiles(pyJoin([dir, name]));
      if (found.length) {
        out.push(...found);
        break;
      }
    }
  }
  return out;
};

/** Ansible's _split_on: a string split on any of the characters, a list split item by item. */
function splitOn(v: unknown, chars: string): string[] {
  if (typeof v === 'string') return v.split(new RegExp(`[${chars.replace(/[\\\]^-]/g, '\\$&')}]`));
  if (Array.isArray(v)) return v.flatMap((x) => splitOn(x, chars));
  return [];
}

interface Search {
  names: string[];
  skip: boolean;
}

function searchTerms(terms: unknown[], kwargs: Record<string, unknown>, acc: Search): Search {
  let names = acc.names;
  let skip = acc.skip;
  for (const term of terms) {
    let options: Record<string, unknown>;
    if (isMapping(term)) options = term;
    else if (typeof term === 'string') options = kwargs;
    else if (Array.isArray(term)) {
      const inner = searchTerms(term, kwargs, { names, skip });
      names = inner.names;
      skip = inner.skip;
      continue;
    } else
      throw pluginError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${pyStr(term)}`);
    const files = splitOn(options.files ?? [], ',;');
    const paths = splitOn(options.paths ?? [], ',:;');
    skip = pyTruthy(options.skip ?? false);
    if (paths.length) for (const p of paths) for (const f of files) names.push(pyJoin([p, f]));
    else if (files.length) names = files;
    else names.push(String(term));
  }
  return { names, skip };
}

const firstFound: Lookup = (ctx, terms, kwargs) => {
  const { _subdir: subdir = 'files', ...options } = kwargs;
  const { names, skip } = searchTerms(terms, options, { names: [], skip: false });
  for (const name of names) {
    // with_first_found searches the subdirectory its task's action names (templates/, vars/), as Ansible's _subdir.
    const path = findInSearchPath(ctx, String(subdir), name);
    if (path) return [path];
  }
  if (skip) return [];
  throw pluginError('No file was found when using first_found.');
};

export const fileLookups: Record<string, Lookup> = {
  file,
  template,
  fileglob,
  first_found: firstFound,
};
