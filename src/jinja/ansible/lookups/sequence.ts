/** The sequence lookup (with_sequence): `start=1 end=5 stride=1 format=%d`, `count=`, or the `[start-]end[/stride][:format]` short form. */
import type { Lookup } from '../../extension.js';
import { pyStr } from '../../value.js';
import { pyPercentFormat } from '../py-format.js';
import { pluginError } from '../shared.js';
import { parseKv } from './kv.js';

const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'i');

/** Python's int(text, 0): decimal, 0x hex, 0o octal, 0b binary; a leading 0 alone is an error. */
function parseInt0(text: string, what: string): number {
  const t = text.trim().replace(/_/g, '');
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9]\d*|0+)$/.exec(t);
  if (!m) throw pluginError(`can't parse ${what}=${text} as integer`);
  const body = m[2] ?? '';
  const n = /^0[xXoObB]/.test(body) ? Number(body.toLowerCase()) : Number(body);
  return m[1] === '-' ? -n : n;
}

interface Spec {
  start: number;
  end: number | null;
  count: number | null;
  stride: number;
  format: string;
}

function parseTerm(term: string): Spec {
  const spec: Spec = { start: 1, end: null, count: null, stride: 1, format: '%d' };
  const m = SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) spec.start = parseInt0(m[2], 'start');
    if (m[3] !== undefined) spec.end = parseInt0(m[3], 'end');
    if (m[5] !== undefined) spec.stride = parseInt0(m[5], 'stride');
    if (m[7] !== undefined) spec.format = m[7];
    return spec;
  }
  const args = parseKv(term);
  for (const key of ['start', 'end', 'count', 'stride'] as const) {
    const raw = args[key];
    delete args[key];
    if (raw === undefined) continue;
    spec[key] = parseInt0(raw, key);
  }
  if (args.format !== undefined) {
    spec.format = args.format;
    delete args.format;
  }
  const rest = Object.keys(args);
  if (rest.length) throw pluginError(`unrecognized arguments to with_sequence: [${rest.map((k) => `'${k}'`).join(', ')}]`);
  return spec;
}

function generate(spec: Spec): string[] {
  let { start, end, stride } = spec;
  if (spec.count === null && end === null) throw pluginError('must specify count or end in with_sequence');
  if (spec.count !== null && end !== null) throw pluginError("can't specify both count and end in with_sequence");
  if (spec.count !== null) {
    if (spec.count !== 0) end = start + spec.count * stride - 1;
    else start = end = stride = 0;
  }
  const last = end ?? 0;
  if (stride > 0 && last < start) throw pluginError('to count backwards make stride negative');
  if (stride < 0 && last > start) throw pluginError("to count forward don't make stride negative");
  if ((spec.format.match(/%/g) ?? []).length !== 1) throw pluginError(`bad formatting string: ${spec.format}`);
  if (stride === 0) return [];
  const out: string[] = [];
  const stop = last + (stride > 0 ? 1 : -1);
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
    try {
      out.push(pyPercentFormat(spec.format, [i]));
    } catch {
      throw pluginError(`problem formatting ${i} with '${spec.format}'`);
    }
  }
  return out;
}

const sequence: Lookup = (_ctx, terms) => terms.flatMap((term) => generate(parseTerm(pyStr(term))));

export const sequenceLookups: Record<string, Lookup> = { sequence };
