/**
 * Python's datetime.datetime, datetime.date and datetime.timedelta, as Ansible's to_datetime filter
 * and YAML timestamps give them: naive (no time zone), with Python's attributes, str(), repr() and
 * subtraction (datetime - datetime is a timedelta).
 */
import { PyCallable, PyObject, runtime } from '../python.js';
import { PY_REPR, PY_STR, PY_SUB, PY_TYPE, pyFloat, pyStr } from '../value.js';
import { strftime } from './filters/text.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Milliseconds since the epoch of the naive time read as UTC: the arithmetic base of both kinds. */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) + us / 1000;
}

function method(name: string, fn: (args: unknown[]) => unknown): PyCallable {
  return new PyCallable(name, (args) => fn(args));
}

export class PyTimedelta extends PyObject {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
  readonly total_seconds: PyCallable;
  readonly [PY_TYPE] = 'timedelta';

  constructor(totalMicroseconds: number) {
    super();
    const us = Math.round(totalMicroseconds);
    this.days = Math.floor(us / 86_400_000_000);
    const rest = us - this.days * 86_400_000_000;
    this.seconds = Math.floor(rest / 1_000_000);
    this.microseconds = rest - this.seconds * 1_000_000;
    this.total_seconds = method('total_seconds', () => pyFloat(us / 1_000_000));
  }

  [PY_STR](): string {
    const h = Math.floor(this.seconds / 3600);
    const clock = `${h}:${pad(Math.floor((this.seconds % 3600) / 60))}:${pad(this.seconds % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`;
    return this.days ? `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${clock}` : clock;
  }

  [PY_REPR](): string {
    const parts = [
      ['days', this.days],
      ['seconds', this.seconds],
      ['microseconds', this.microseconds],
    ].filter(([, v]) => v !== 0);
    return `datetime.timedelta(${parts.length ? parts.map(([k, v]) => `${k}=${v}`).join(', ') : '0'})`;
  }
}

export class PyDate extends PyObject {
  readonly strftime: PyCallable;
  readonly isoformat: PyCallable;
  readonly weekday: PyCallable;
  readonly isoweekday: PyCallable;
  readonly [PY_TYPE]: string = 'date';

  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    super();
    this.strftime = method('strftime', ([f]) => strftime(pyStr(f), this.millis() / 1000, true));
    this.isoformat = method('isoformat', () => this[PY_STR]());
    this.weekday = method('weekday', () => (new Date(this.millis()).getUTCDay() + 6) % 7);
    this.isoweekday = method('isoweekday', () => ((new Date(this.millis()).getUTCDay() + 6) % 7) + 1);
  }

  millis(): number {
    return utcMillis(this.year, this.month, this.day);
  }

  [PY_STR](): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }

  [PY_REPR](): string {
    return `datetime.date(${this.year}, ${this.month}, ${this.day})`;
  }

  [PY_SUB](other: unknown): unknown {
    // A datetime is a date in Python, but the two do not subtract from each other.
    if (other instanceof PyDate && other instanceof PyDateTime === this instanceof PyDateTime) {
      return new PyTimedelta((this.millis() - other.millis()) * 1000);
    }
    return undefined;
  }
}

export class PyDateTime extends PyDate {
  readonly date: PyCallable;
  readonly timestamp: PyCallable;
  override readonly [PY_TYPE] = 'datetime';

  constructor(
    year: number,
    month: number,
    day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
  ) {
    super(year, month, day);
    this.date = method('date', () => new PyDate(year, month, day));
    // A naive datetime's timestamp() reads it in the controller's local time, as Python does.
    this.timestamp = method('timestamp', () =>
      pyFloat(new Date(year, month - 1, day, hour, minute, second).getTime() / 1000 + microsecond / 1e6),
    );
  }

  override millis(): number {
    return utcMillis(this.year, this.month, this.day, this.hour, this.minute, this.second, this.microsecond);
  }

  override [PY_STR](): string {
    const frac = this.microsecond ? `.${pad(this.microsecond, 6)}` : '';
    return `${super[PY_STR]()} ${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${frac}`;
  }

  override [PY_REPR](): string {
    const fields = [this.year, this.month, this.day, this.hour, this.minute, this.second, this.microsecond];
    while (fields.length > 5 && fields[fields.length - 1] === 0) fields.pop();
    return `datetime.datetime(${fields.join(', ')})`;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Python's datetime.strptime for the directives configuration values use; others are refused. */
export function strptime(text: string, format: string): PyDateTime {
  const f = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, us: 0, pm: undefined as boolean | undefined };
  let i = 0;
  const fail = (): never => {
    throw runtime(`time data '${text}' does not match format '${format}'`);
  };
  const digits = (max: number): number => {
    const m = new RegExp(`^\\d{1,${max}}`).exec(text.slice(i)) ?? fail();
    i += m[0].length;
    return Number(m[0]);
  };
  for (let k = 0; k < format.length; k++) {
    const c = format[k] as string;
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (/\s/.test(text[i] ?? '')) i++;
      } else if (text[i++] !== c) fail();
      continue;
    }
    const d = format[++k];
    if (d === 'Y') f.Y = digits(4);
    else if (d === 'y') {
      const yy = digits(2);
      f.Y = yy < 69 ? 2000 + yy : 1900 + yy;
    } else if (d === 'm') f.m = digits(2);
    else if (d === 'd') f.d = digits(2);
    else if (d === 'H' || d === 'I') f.H = digits(2);
    else if (d === 'M') f.M = digits(2);
    else if (d === 'S') f.S = digits(2);
    else if (d === 'f') {
      const start = i;
      digits(6);
      f.us = Number(text.slice(start, i).padEnd(6, '0'));
    } else if (d === 'b' || d === 'B') {
      const m = /^[A-Za-z]+/.exec(text.slice(i)) ?? fail();
      const idx = MONTHS.indexOf(m[0].slice(0, 3).toLowerCase());
      if (idx < 0) fail();
      f.m = idx + 1;
      i += m[0].length;
    } else if (d === 'p') {
      const m = /^(am|pm)/i.exec(text.slice(i)) ?? fail();
      f.pm = m[0].toLowerCase() === 'pm';
      i += 2;
    } else if (d === '%') {
      if (text[i++] !== '%') fail();
    } else throw runtime(`'${d}' is a bad directive in format '%${d}'`);
  }
  if (i !== text.length) throw runtime(`unconverted data remains: ${text.slice(i)}`);
  const hour = f.pm === undefined ? f.H : (f.H % 12) + (f.pm ? 12 : 0);
  // Python's patterns take only valid fields (a month 13 does not match); a 30 February does, then fails.
  if (f.m < 1 || f.m > 12 || f.d < 1 || f.d > 31 || hour > 23 || f.M > 59 || f.S > 61) fail();
  if (new Date(Date.UTC(f.Y, f.m - 1, f.d)).getUTCDate() !== f.d) throw runtime('day is out of range for month');
  return new PyDateTime(f.Y, f.m, f.d, hour, f.M, f.S, f.us);
}
