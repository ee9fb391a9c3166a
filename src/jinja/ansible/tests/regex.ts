/** Ansible's `match`, `search` and `regex` tests. */
import type { Test } from '../../extension.js';
import { pyStr } from '../../value.js';
import { compilePyRegex } from '../py-regex.js';
import { bind, toText } from '../shared.js';

function regexTest(value: unknown, pattern: unknown, ignorecase: unknown, multiline: unknown, matchType: unknown): boolean {
  const text = toText(value);
  const re = compilePyRegex(pyStr(pattern), { ignorecase: Boolean(ignorecase), multiline: Boolean(multiline) });
  const m = re.make(true);
  if (matchType === 'match' || matchType === 'fullmatch') {
    const anchored = new RegExp(matchType === 'match' ? `^(?:${re.source})` : `^(?:${re.source})$`, re.flags);
    return anchored.test(text);
  }
  return m.test(text);
}

const regex: Test = (_ctx, value, args, kwargs) => {
  const [pattern, ignorecase, multiline, matchType] = bind(
    'regex',
    ['pattern', 'ignorecase', 'multiline', 'match_type'],
    ['', false, false, 'search'] as unknown[],
    args,
    kwargs,
  );
  return regexTest(value, pattern, ignorecase, multiline, matchType);
};

function fixedTest(name: string, matchType: string): Test {
  return (_ctx, value, args, kwargs) => {
    const [pattern, ignorecase, multiline] = bind(
      name,
      ['pattern', 'ignorecase', 'multiline'],
      ['', false, false] as unknown[],
      args,
      kwargs,
    );
    return regexTest(value, pattern, ignorecase, multiline, matchType);
  };
}

export const regexTests: Record<string, Test> = {
  regex,
  match: fixedTest('match', 'match'),
  search: fixedTest('search', 'search'),
};
