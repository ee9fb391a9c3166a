/** Python's printf-style `format % args` for the conversions sequence formats use. */
import { pyRepr, pyStr, toNumber } from '../value.js';
import { formatFixed, pluginError } from './shared.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

function pad(body: string, sign: string, flags: string, width: number, numeric: boolean): string {
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (flags.includes('-')) return (sign + body).padEnd(width);
  if (flags.includes('0') && numeric) return sign + body.padStart(width - sign.length, '0');
  return (sign + body).padStart(width);
}

function exponent(x: number, precision: number, upper: boolean): string {
  const [m = '', e = '0'] = x.toExponential(precision).split('e');
  const n = Number(e);
  const s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

function general(x: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alt ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))));
  let s = exp < -4 || exp >= p ? exponent(x, p - 1, upper) : formatFixed(x, Math.max(0, p - 1 - exp));
  if (!alt) s = s.includes('e') || s.includes('E') ? s.replace(/\.?0+(?=[eE])/, '') : s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return s;
}

export function pyPercentFormat(format: string, args: unknown[]): string {
  let n = 0;
  const next = () => {
    if (n >= args.length) throw pluginError('not enough arguments for format string');
    return args[n++];
  };
  const out = format.replace(SPEC, (_m, _key, flags: string, widthText: string | undefined, precText: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const width = widthText === '*' ? Number(next()) : Number(widthText ?? 0);
    const precision = precText === undefined ? undefined : precText === '*' ? Number(next()) : Number(precText);
    const v = next();
    if (conv === 's' || conv === 'r' || conv === 'a') {
      let s = conv === 's' ? pyStr(v) : pyRepr(v);
      if (precision !== undefined) s = s.slice(0, precision);
      return pad(s, '', flags, width, false);
    }
    if (conv === 'c') return pad(typeof v === 'string' ? v : String.fromCodePoint(Number(v)), '', flags, width, false);
    const x = toNumber(v);
    if (x === undefined) throw pluginError(`%${conv} format: a real number is required, not ${typeof v === 'string' ? 'str' : typeof v}`);
    const sign = x < 0 || Object.is(x, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const a = Math.abs(x);
    let body: string;
    switch (conv) {
      case 'd':
      case 'i':
      case 'u':
        body = String(Math.trunc(a));
        break;
      case 'o':
        body = (flags.includes('#') ? '0o' : '') + Math.trunc(a).toString(8);
        break;
      case 'x':
        body = (flags.includes('#') ? '0x' : '') + Math.trunc(a).toString(16);
        break;
      case 'X':
        body = (flags.includes('#') ? '0X' : '') + Math.trunc(a).toString(16).toUpperCase();
        break;
      case 'e':
      case 'E':
        body = exponent(a, precision ?? 6, conv === 'E');
        break;
      case 'f':
      case 'F':
        body = formatFixed(a, precision ?? 6);
        break;
      default:
        body = general(a, precision ?? 6, flags.includes('#'), conv === 'G');
    }
    if (precision !== undefined && 'diouxX'.includes(conv)) body = body.padStart(precision, '0');
    return pad(body, sign, flags, width, true);
  });
  if (n < args.length) throw pluginError('not all arguments converted during string formatting');
  return out;
}
