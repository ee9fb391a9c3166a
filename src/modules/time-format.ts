/**
 * The file module's times, as Python's time.strptime reads them with `modification_time_format`:
 * turned into touch's own `YYYYmmddHHMM.SS`, a local time on the host as Ansible's mktime takes it.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const LONG_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Field = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'b' | 'B' | 'p' | 'j';

const PATTERNS: Record<Field, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(1[0-2]|0?[1-9])',
  d: '(3[01]|[12]\\d|0?[1-9])',
  H: '(2[0-3]|[01]?\\d)',
  I: '(1[0-2]|0?[1-9])',
  M: '([0-5]?\\d)',
  S: '(6[01]|[0-5]?\\d)',
  b: `(${MONTHS.join('|')})`,
  B: `(${LONG_MONTHS.join('|')})`,
  p: '(am|pm)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0?[1-9]\\d|0?0?[1-9])',
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The directives the formats of real roles use; anything else is refused by name. */
export function timeFormatError(format: string): string | undefined {
  for (const m of format.matchAll(/%(.)/g))
    if (!(m[1] === '%' || (m[1] ?? '') in PATTERNS)) return `%${m[1]} in "${format}" is not supported`;
  return undefined;
}

/** A time written in `format` as touch -t takes it; throws with Ansible's words when it does not match. */
export function toTouchTime(value: string, format: string): string {
  const fields: Field[] = [];
  let pattern = '';
  for (let i = 0; i < format.length; i++) {
    const c = format.charAt(i);
    if (c === '%' && i + 1 < format.length) {
      const d = format.charAt(++i);
      if (d === '%') pattern += '%';
      else if (d in PATTERNS) {
        fields.push(d as Field);
        pattern += PATTERNS[d as Field];
      } else throw new Error(`%${d} in "${format}" is not supported`);
    } else pattern += /\s/.test(c) ? '\\s+' : escapeRegex(c);
  }
  const m = new RegExp(`^${pattern}$`, 'i').exec(value);
  if (!m)
    throw new Error(
      `Error while obtaining timestamp for time ${value} using format ${format}: time data '${value}' does not match format '${format}'`,
    );
  const t = {
    year: 1900,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    pm: undefined as boolean | undefined,
    yday: undefined as number | undefined,
  };
  fields.forEach((f, i) => {
    const v = (m[i + 1] ?? '').toLowerCase();
    const n = Number(v);
    if (f === 'Y') t.year = n;
    else if (f === 'y') t.year = n < 69 ? 2000 + n : 1900 + n;
    else if (f === 'm') t.month = n;
    else if (f === 'd') t.day = n;
    else if (f === 'H' || f === 'I') t.hour = n;
    else if (f === 'M') t.minute = n;
    else if (f === 'S') t.second = Math.min(n, 59);
    else if (f === 'b') t.month = MONTHS.indexOf(v) + 1;
    else if (f === 'B') t.month = LONG_MONTHS.indexOf(v) + 1;
    else if (f === 'p') t.pm = v === 'pm';
    else if (f === 'j') t.yday = n;
  });
  if (t.pm !== undefined && fields.includes('I')) t.hour = (t.hour % 12) + (t.pm ? 12 : 0);
  if (t.yday !== undefined) {
    const d = new Date(Date.UTC(t.year, 0, t.yday));
    t.month = d.getUTCMonth() + 1;
    t.day = d.getUTCDate();
  }
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}${pad(t.hour)}${pad(t.minute)}.${pad(t.second)}`;
}
