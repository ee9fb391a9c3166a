import { describe, expect, it } from 'vitest';
import { BadSubsetError, hostFacts } from '../../../src/reads/host-facts.js';
import { fakeReader } from './fake-reader.js';

describe('fakeReader', () => {
  // setup leaves deciding a bad gather_subset to the host_facts read, whose command resolves it:
  // the fake host must build that command as the real reader does, or such a case would pass untested.
  it('throws from get when the read cannot build its command, as the real reader does', () => {
    const reader = fakeReader([{ read: 'host_facts', args: { gather_subset: ['disks'] }, value: {} }]);
    expect(() => reader.get(hostFacts, { gather_subset: ['disks'] })).toThrow(BadSubsetError);
  });
});
