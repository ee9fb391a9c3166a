/**
 * Ansible's parse_kv for lookup terms (`start=1 end=5 format="n%s"`): space-separated key=value
 * pairs, quotes honoured and removed; words without '=' are joined into _raw_params.
 */
export function parseKv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const raw: string[] = [];
  for (const token of splitArgs(text)) {
    const eq = findUnquotedEquals(token);
    if (eq < 0) {
      raw.push(token);
      continue;
    }
    out[token.slice(0, eq)] = unquote(token.slice(eq + 1));
  }
  if (raw.length) out._raw_params = raw.join(' ');
  return out;
}

function splitArgs(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote) {
      if (c === quote && text.charAt(i - 1) !== '\\') quote = null;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (/\s/.test(c)) {
      if (current) out.push(current);
      current = '';
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

function findUnquotedEquals(token: string): number {
  let quote: string | null = null;
  for (let i = 0; i < token.length; i++) {
    const c = token.charAt(i);
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '=' && token.charAt(i - 1) !== '\\') return i;
  }
  return -1;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v.startsWith('"') || v.startsWith("'")) && v.endsWith(v.charAt(0))) return v.slice(1, -1);
  return v;
}
