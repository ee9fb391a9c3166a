import { describe, expect, it } from 'vitest';
import { hostPatternToRegExp } from '../../src/config/patterns.js';
import { matchesOpenSshPattern, matchOpenSshPatternList } from '../../src/transport/openssh-pattern.js';

describe("Ansible's host patterns (fnmatch)", () => {
  const matches = (pattern: string, name: string) => hostPatternToRegExp(pattern).test(name);

  it('has *, ? and anchors at both ends', () => {
    expect(matches('web*', 'web01')).toBe(true);
    expect(matches('web*', 'db-web01')).toBe(false);
    expect(matches('node?', 'node1')).toBe(true);
    expect(matches('node?', 'node12')).toBe(false);
    expect(matches('*', '')).toBe(true);
  });

  it('has sets, ranges and negated sets', () => {
    expect(matches('web[12]', 'web1')).toBe(true);
    expect(matches('web[12]', 'web3')).toBe(false);
    expect(matches('web[0-9][0-9]', 'web42')).toBe(true);
    expect(matches('web[!1]', 'web2')).toBe(true);
    expect(matches('web[!1]', 'web1')).toBe(false);
    expect(matches('x[]]', 'x]')).toBe(true);
    expect(matches('x[^a]', '^')).toBe(false);
    expect(matches('x[^a]', 'x^')).toBe(true);
  });

  it('takes everything else literally, case included', () => {
    expect(matches('198.18.0.*', '198.18.0.29')).toBe(true);
    expect(matches('198.18.0.*', '198x18x0x29')).toBe(false);
    expect(matches('web[1', 'web[1')).toBe(true);
    expect(matches('a+b(c)|d', 'a+b(c)|d')).toBe(true);
    expect(matches('Web*', 'web1')).toBe(false);
  });
});

describe("OpenSSH's host patterns", () => {
  it('has * and ?, ignores case, and reads [ as itself', () => {
    expect(matchesOpenSshPattern('198.18.0.29', '198.18.*')).toBe(true);
    expect(matchesOpenSshPattern('host1.example', '*.EXAMPLE')).toBe(true);
    expect(matchesOpenSshPattern('node12', 'node?')).toBe(false);
    expect(matchesOpenSshPattern('node1', 'node?')).toBe(true);
    expect(matchesOpenSshPattern('[127.0.0.1]:2222', '[127.0.0.1]:*')).toBe(true);
    expect(matchesOpenSshPattern('1', '[12]')).toBe(false);
    expect(matchesOpenSshPattern('abcabd', '*ab?')).toBe(true);
    expect(matchesOpenSshPattern('', '*')).toBe(true);
    expect(matchesOpenSshPattern('a', '')).toBe(false);
  });

  it('lists: any positive match, unless a negated pattern matches', () => {
    expect(matchOpenSshPatternList('b', 'a,b,c')).toBe('match');
    expect(matchOpenSshPatternList('198.18.0.29', '198.18.*,!198.18.0.9')).toBe('match');
    expect(matchOpenSshPatternList('198.18.0.9', '198.18.*,!198.18.0.9')).toBe('negated');
    expect(matchOpenSshPatternList('198.18.0.9', '!198.18.0.9,198.18.*')).toBe('negated');
    expect(matchOpenSshPatternList('x', 'a,!b')).toBe('none');
  });
});
