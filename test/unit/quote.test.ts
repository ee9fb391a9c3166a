import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, quote, splitWords } from '../../src/shell/quote.js';

// Strings a shell would love to interpret: quotes, substitutions, separators, globs, newlines, unicode.
const nasty = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...`'"\`$();|&<>*?[]{}~!#\\ \n\t=%é漢😀-a`.split('')) }),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('', '$(id)', '`id`', "'; rm -rf / #", '*', '-n', '\n\n', '$HOME', 'a\'b"c'),
  )
  .filter((s) => !s.includes('\0') && s.isWellFormed());

describe('quoting', () => {
  it('arrives literally through a real POSIX shell (property)', () => {
    fc.assert(
      fc.property(fc.array(nasty, { minLength: 1, maxLength: 4 }), (args) => {
        const out = execFileSync('sh', ['-c', `printf '%s\\0' ${commandLine(args)}`]);
        expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(args);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves plain words readable', () => {
    expect(quote('/etc/nginx.conf')).toBe('/etc/nginx.conf');
    expect(quote('')).toBe("''");
    expect(quote('a b')).toBe("'a b'");
  });

  it('splitWords is the inverse of commandLine (property)', () => {
    fc.assert(
      fc.property(fc.array(nasty, { minLength: 1, maxLength: 4 }), (args) => {
        expect(splitWords(commandLine(args))).toEqual(args);
      }),
    );
  });

  it('splitWords reads shell words without expanding', () => {
    expect(splitWords(`a "b c" 'd $e' f\\ g`)).toEqual(['a', 'b c', 'd $e', 'f g']);
    expect(() => splitWords(`a "b`)).toThrow(/unterminated/);
  });
});
