/** Ansible's regular expression filters, with Python's `re` semantics (py-regex.ts). */
import type { Filter } from '../../extension.js';
import { pyStr, tuple } from '../../value.js';
import { compilePyRegex, findAll, matchGroup, pyEscape, pySub } from '../py-regex.js';
import { bind, pluginError, toText } from '../shared.js';

const regexReplace: Filter = (_ctx, value, args, kwargs) => {
  const [pattern, replacement, ignorecase, multiline] = bind(
    'regex_replace',
    ['pattern', 'replacement', 'ignorecase', 'multiline'],
    ['', '', false, false] as unknown[],
    args,
    kwargs,
  );
  const re = compilePyRegex(pyStr(pattern), { ignorecase: Boolean(ignorecase), multiline: Boolean(multiline) });
  return pySub(re, pyStr(replacement), toText(value));
};

const regexFindall: Filter = (_ctx, value, args, kwargs) => {
  const [regex, multiline, ignorecase] = bind(
    'regex_findall',
    ['regex', 'multiline', 'ignorecase'],
    [undefined, false, false] as unknown[],
    args,
    kwargs,
  );
  const re = compilePyRegex(pyStr(regex), { ignorecase: Boolean(ignorecase), multiline: Boolean(multiline) });
  return findAll(re, toText(value)).map((m) => {
    if (re.groups === 0) return m[0];
    if (re.groups === 1) return m[1] ?? '';
    return tuple(m.slice(1).map((g) => g ?? ''));
  });
};

const regexSearch: Filter = (_ctx, value, args, kwargs) => {
  const [regex, ...refs] = args;
  const groups: (number | string)[] = refs.map((ref) => {
    const s = pyStr(ref);
    const named = /^\\g<(\S+)>/.exec(s);
    if (named) return /^\d+$/.test(named[1] ?? '') ? Number(named[1]) : (named[1] ?? '');
    const numbered = /^\\(\d+)/.exec(s);
    if (numbered) return Number(numbered[1]);
    throw pluginError('Unknown argument');
  });
  const re = compilePyRegex(pyStr(regex), { ignorecase: Boolean(kwargs.ignorecase), multiline: Boolean(kwargs.multiline) });
  const m = re.make(false).exec(toText(value));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => matchGroup(m, g));
};

const regexEscape: Filter = (_ctx, value, args, kwargs) => {
  const [reType] = bind('regex_escape', ['re_type'], ['python'], args, kwargs);
  const s = toText(value);
  if (reType === 'python') return pyEscape(s);
  if (reType === 'posix_basic') return s.replace(/[\].[^$*\\]/g, '\\$&');
  if (reType === 'posix_extended') throw pluginError(`Regex type (${pyStr(reType)}) not yet implemented`);
  throw pluginError(`Invalid regex type (${pyStr(reType)})`);
};

export const regexFilters: Record<string, Filter> = {
  regex_replace: regexReplace,
  regex_findall: regexFindall,
  regex_search: regexSearch,
  regex_escape: regexEscape,
};
