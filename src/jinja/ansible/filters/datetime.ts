/** Ansible's to_datetime: a string read with a strptime format into a Python datetime. */
import type { Filter } from '../../extension.js';
import { pyStr } from '../../value.js';
import { strptime } from '../py-datetime.js';
import { bind, toText } from '../shared.js';

const toDatetime: Filter = (_ctx, value, args, kwargs) => {
  const [format] = bind('to_datetime', ['format'], ['%Y-%m-%d %H:%M:%S'] as [unknown], args, kwargs);
  return strptime(toText(value), pyStr(format));
};

export const datetimeFilters: Record<string, Filter> = { to_datetime: toDatetime };
