// A host entry of an inventory as Ansible reads it: `web[01:20]`, `db-[a:c]`, `h[1:9:2]` expand to
// several names, and `name:port` (or `[v6::addr]:port`) carries the SSH port.

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Why a range cannot be expanded, phrased for the user; the caller adds where. */
export class HostRangeError extends Error {}

/** The names and port of one host entry. */
export function expandHostEntry(entry: string): { names: string[]; port?: number } {
  const { pattern, port } = splitPort(entry.trim());
  return { names: hasRange(pattern) ? expandRanges(pattern) : [pattern], port };
}

function splitPort(entry: string): { pattern: string; port?: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(entry);
  if (v6?.[1]?.includes(':')) return { pattern: v6[1] ?? '', port: v6[2] === undefined ? undefined : Number(v6[2]) };
  // More than one colon outside brackets is a bare IPv6 address: it has no port.
  const outside = entry.replace(/\[[^\]]*\]/g, '');
  const m = /^(.*[^:]):(\d+)$/.exec(entry);
  if (m?.[1] && outside.split(':').length === 2) return { pattern: m[1], port: Number(m[2]) };
  if (entry.endsWith(':') && outside.split(':').length === 2) throw new HostRangeError(`"${entry}" ends in ":" without a port`);
  return { pattern: entry };
}

function hasRange(pattern: string): boolean {
  const open = pattern.indexOf('[');
  const close = pattern.indexOf(']', open);
  return open >= 0 && close > open && pattern.slice(open + 1, close).includes(':');
}

/** Ansible's expand_hostname_range: the first `[a:b(:step)]` expands, then the rest of each name, recursively. */
function expandRanges(pattern: string): string[] {
  const open = pattern.indexOf('[');
  const close = pattern.indexOf(']', open);
  if (open < 0 || close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = pattern.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3)
    throw new HostRangeError(`host range "[${bounds.join(':')}]" must be begin:end or begin:end:step`);
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  if (!end) throw new HostRangeError(`host range "[${bounds.join(':')}]" has no end value`);
  const step = bounds[2] === undefined ? 1 : Number(bounds[2]);
  if (!Number.isInteger(step) || step < 1) throw new HostRangeError(`host range step "${bounds[2]}" must be a whole number of at least 1`);
  const items = rangeItems(beg, end, step);
  const rest = hasRange(tail) ? expandRanges(tail) : [tail];
  return items.flatMap((item) => rest.map((t) => `${head}${item}${t}`));
}

function rangeItems(beg: string, end: string, step: number): string[] {
  const a = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const b = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (a >= 0 && b >= 0) {
    if (a > b) throw new HostRangeError(`host range "${beg}:${end}" must have begin <= end`);
    const out: string[] = [];
    for (let i = a; i <= b; i += step) out.push(LETTERS.charAt(i));
    return out;
  }
  if (!/^\d+$/.test(beg) || !/^\d+$/.test(end))
    throw new HostRangeError(`host range "${beg}:${end}" must be two numbers or two single letters`);
  const width = beg.startsWith('0') && beg.length > 1 ? beg.length : 0;
  if (width && width !== end.length)
    throw new HostRangeError(`host range "${beg}:${end}" must give begin and end with the same number of digits`);
  const out: string[] = [];
  for (let i = Number(beg); i <= Number(end); i += step) out.push(String(i).padStart(width, '0'));
  return out;
}
