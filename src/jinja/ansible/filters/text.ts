/** Ansible's filters on text and scalars: comment, quote, ternary, bool, mandatory, type_debug, to_uuid, b64*, split, strftime. */
import { createHash } from 'node:crypto';
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { split as strSplit } from '../../methods.js';
import { isMapping, isUndefined, pyStr, pyTruthy, pyTypeName } from '../../value.js';
import { bind, pluginError, pyEquals, toText } from '../shared.js';

interface CommentStyle {
  beginning?: string;
  decoration: string;
  end?: string;
}

const COMMENT_STYLES: Record<string, CommentStyle> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

const comment: Filter = (_ctx, value, args, kwargs) => {
  const [style] = bind('comment', ['style'], ['plain'], args, {});
  const text = toText(value);
  const styleParams = COMMENT_STYLES[String(style)];
  if (!styleParams) throw pluginError(`'${String(style)}'`);
  const prepostfix = 'decoration' in kwargs ? String(kwargs.decoration) : styleParams.decoration;
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.trimEnd(),
    prefix_count: 1,
    postfix: prepostfix.trimEnd(),
    postfix_count: 1,
    end: '',
    ...styleParams,
    ...kwargs,
  };
  const nl = String(p.newline);
  const decoration = String(p.decoration);
  const prefix = String(p.prefix);
  const beginning = p.beginning ? `${String(p.beginning)}${nl}` : '';
  const prefixPart = prefix ? (prefix !== nl ? `${prefix}${nl}` : nl).repeat(Number(p.prefix_count)) : '';
  const body = `${decoration}${text.split(nl).join(`${nl}${decoration}`)}`.split(`${decoration}${nl}`).join(`${decoration.trimEnd()}${nl}`);
  const postfix = ['', ...Array.from({ length: Number(p.postfix_count) }, () => String(p.postfix))].join(nl);
  const end = p.end ? `${nl}${String(p.end)}` : '';
  return `${beginning}${prefixPart}${body}${postfix}${end}`;
};

/** shlex.quote. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

const quote: Filter = (_ctx, value) => shellQuote(value === null ? '' : toText(value));

const ternary: Filter = (_ctx, value, args, kwargs) => {
  const [trueVal, falseVal, noneVal] = bind(
    'ternary',
    ['true_val', 'false_val', 'none_val'],
    [undefined, undefined, null] as unknown[],
    args,
    kwargs,
  );
  if (value === null && noneVal !== null) return noneVal;
  return pyTruthy(defined(value)) ? trueVal : falseVal;
};

/** Ansible's `bool` filter (to_bool): None and booleans as they are, 'yes'/'on'/'1'/'true'/1 true, all else false. */
export function toBool(v: unknown): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  const x = typeof v === 'string' ? v.toLowerCase() : v;
  return ['yes', 'on', '1', 'true', 1].some((t) => pyEquals(t, x));
}

const bool: Filter = (_ctx, value) => toBool(defined(value));

const mandatory: Filter = (_ctx, value, args, kwargs) => {
  const [msg] = bind('mandatory', ['msg'], [null] as [unknown], args, kwargs);
  if (isUndefined(value)) {
    if (msg !== null) throw pluginError(pyStr(msg));
    throw pluginError(`Mandatory variable '${value.name}'  not defined.`);
  }
  return value;
};

const typeDebug: Filter = (_ctx, value) => pyTypeName(value);

/** A UUID's 16 bytes from any of the spellings Python's uuid.UUID() accepts. */
function parseUuid(s: string): Buffer | undefined {
  const hex = s.replace(/^urn:uuid:/, '').replace(/[{}-]/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

const toUuid: Filter = (_ctx, value, args, kwargs) => {
  const [namespace] = bind('to_uuid', ['namespace'], [ANSIBLE_UUID_NAMESPACE], args, kwargs);
  const ns = parseUuid(pyStr(namespace));
  if (!ns) throw pluginError(`Invalid value '${pyStr(namespace)}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash('sha1')
    .update(ns)
    .update(Buffer.from(toText(value), 'utf8'))
    .digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
};

/** Python codec names as Node spells them. */
function nodeEncoding(encoding: unknown): BufferEncoding {
  const name = String(encoding).toLowerCase().replace(/[-_]/g, '');
  const map: Record<string, BufferEncoding> = {
    utf8: 'utf8',
    utf16le: 'utf16le',
    utf16: 'utf16le',
    latin1: 'latin1',
    iso88591: 'latin1',
    ascii: 'ascii',
  };
  const enc = map[name];
  if (!enc) throw pluginError(`unknown encoding: ${String(encoding)}`);
  return enc;
}

const b64encode: Filter = (_ctx, value, args, kwargs) => {
  const [encoding] = bind('b64encode', ['encoding'], ['utf-8'], args, kwargs);
  return Buffer.from(toText(value), nodeEncoding(encoding)).toString('base64');
};

const b64decode: Filter = (_ctx, value, args, kwargs) => {
  const [encoding] = bind('b64decode', ['encoding'], ['utf-8'], args, kwargs);
  return Buffer.from(toText(value), 'base64').toString(nodeEncoding(encoding));
};

const split: Filter = (_ctx, value, args, kwargs) => {
  const [sep, maxsplit] = bind('split', ['sep', 'maxsplit'], [null, -1] as [unknown, unknown], args, kwargs);
  return strSplit(toText(value), sep, maxsplit);
};

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** C's strftime in the C locale, in UTC or the controller's local time. */
export function strftime(format: string, epochSeconds: number, utc: boolean): string {
  const d = new Date(Math.floor(epochSeconds) * 1000);
  const f = {
    Y: utc ? d.getUTCFullYear() : d.getFullYear(),
    m: (utc ? d.getUTCMonth() : d.getMonth()) + 1,
    d: utc ? d.getUTCDate() : d.getDate(),
    H: utc ? d.getUTCHours() : d.getHours(),
    M: utc ? d.getUTCMinutes() : d.getMinutes(),
    S: utc ? d.getUTCSeconds() : d.getSeconds(),
    w: utc ? d.getUTCDay() : d.getDay(),
  };
  const offsetMin = utc ? 0 : -d.getTimezoneOffset();
  const startOfYear = utc ? Date.UTC(f.Y, 0, 1) : new Date(f.Y, 0, 1).getTime();
  const today = utc ? Date.UTC(f.Y, f.m - 1, f.d) : new Date(f.Y, f.m - 1, f.d).getTime();
  const yday = Math.round((today - startOfYear) / 86_400_000);
  const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);
  const h12 = f.H % 12 === 0 ? 12 : f.H % 12;
  const conv = (c: string): string => {
    switch (c) {
      case 'Y':
        return String(f.Y);
      case 'y':
        return pad(f.Y % 100);
      case 'C':
        return pad(Math.floor(f.Y / 100));
      case 'm':
        return pad(f.m);
      case 'd':
        return pad(f.d);
      case 'e':
        return pad(f.d, 2, ' ');
      case 'H':
        return pad(f.H);
      case 'k':
        return pad(f.H, 2, ' ');
      case 'I':
        return pad(h12);
      case 'l':
        return pad(h12, 2, ' ');
      case 'M':
        return pad(f.M);
      case 'S':
        return pad(f.S);
      case 'p':
        return f.H < 12 ? 'AM' : 'PM';
      case 'a':
        return (DAYS[f.w] ?? '').slice(0, 3);
      case 'A':
        return DAYS[f.w] ?? '';
      case 'b':
      case 'h':
        return (MONTHS[f.m - 1] ?? '').slice(0, 3);
      case 'B':
        return MONTHS[f.m - 1] ?? '';
      case 'j':
        return pad(yday + 1, 3);
      case 'u':
        return String(f.w === 0 ? 7 : f.w);
      case 'w':
        return String(f.w);
      case 'U':
        return pad(Math.floor((yday + 7 - f.w) / 7));
      case 'W':
        return pad(Math.floor((yday + 7 - ((f.w + 6) % 7)) / 7));
      case 's':
        return String(Math.floor(epochSeconds));
      case 'z': {
        const a = Math.abs(offsetMin);
        return `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
      }
      case 'Z':
        return utc
          ? 'GMT'
          : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ??
              '');
      case 'D':
      case 'x':
        return `${conv('m')}/${conv('d')}/${conv('y')}`;
      case 'F':
        return `${conv('Y')}-${conv('m')}-${conv('d')}`;
      case 'T':
      case 'X':
        return `${conv('H')}:${conv('M')}:${conv('S')}`;
      case 'R':
        return `${conv('H')}:${conv('M')}`;
      case 'r':
        return `${conv('I')}:${conv('M')}:${conv('S')} ${conv('p')}`;
      case 'c':
        return `${conv('a')} ${conv('b')} ${conv('e')} ${conv('T')} ${conv('Y')}`;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return `%${c}`;
    }
  };
  return format.replace(/%(.)/gs, (_m, c: string) => conv(c));
}

const strftimeFilter: Filter = (_ctx, value, args, kwargs) => {
  const [second, utc] = bind('strftime', ['second', 'utc'], [null, false] as [unknown, unknown], args, kwargs);
  let epoch = Date.now() / 1000;
  if (second !== null) {
    epoch = Number(typeof second === 'string' ? second.trim() : second);
    if (typeof second === 'string' && second.trim() === '') epoch = Number.NaN;
    if (Number.isNaN(epoch) || isMapping(second) || Array.isArray(second))
      throw pluginError(`Invalid value for epoch value (${pyStr(second)})`);
  }
  return strftime(toText(value), epoch, pyTruthy(utc));
};

const urldecode: Filter = (_ctx, value) => decodeURIComponent(toText(value).replace(/\+/g, ' '));

export const textFilters: Record<string, Filter> = {
  comment,
  quote,
  ternary,
  bool,
  mandatory,
  type_debug: typeDebug,
  to_uuid: toUuid,
  b64encode,
  b64decode,
  split,
  strftime: strftimeFilter,
  urldecode,
};
