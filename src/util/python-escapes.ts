/** The one-letter backslash escapes of a Python string literal (`\n`, `\t`, `\\`...), as its tokenizer reads them. */
export const PYTHON_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
