import { describe, expect, it } from 'vitest';
import { labAptConf } from '../../src/lab/apt-conf.js';

/** apt.conf lines `Key "value";` as a map: what apt would read from the file. */
function parse(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^([\w:-]+) "([^"]*)";$/.exec(l);
      if (!m) throw new Error(`not an apt.conf line: ${l}`);
      return [m[1], m[2]] as [string, string];
    });
  return new Map(entries);
}

describe('the apt settings the lab writes into hosts', () => {
  const conf = parse(labAptConf('http://198.18.0.1:3142'));

  it('sends apt through the given cache', () => {
    expect(conf.get('Acquire::http::Proxy')).toBe('http://198.18.0.1:3142');
  });

  it('retries at once: a delayed retry can stall bookworm apt for good (issue 9)', () => {
    expect(Number(conf.get('Acquire::Retries'))).toBeGreaterThan(0);
    expect(conf.get('Acquire::Retries::Delay')).toBe('false');
  });

  it('ends a connection the cache stopped answering', () => {
    expect(Number(conf.get('Acquire::http::Timeout'))).toBeGreaterThan(0);
  });
});
