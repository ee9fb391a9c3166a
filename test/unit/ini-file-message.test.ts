import { describe, expect, it } from 'vitest';
import { editIni, iniFile, iniMessage } from '../../src/modules/ini-file.js';

type Args = Parameters<typeof editIni>[1];
const args = (a: Record<string, unknown>): Args => iniFile.schema.parse({ path: '/t.ini', ...a }) as Args;

describe('ini_file msg', () => {
  it('says what community.general.ini_file says for each step of the same sequence', () => {
    // Measured: ansible-playbook ran these eight ini_file tasks in turn on one file.
    const steps = [
      { section: 'a', option: 'x', value: '1' },
      { section: 'a', option: 'y', value: '2' },
      { section: 'a', option: 'y', value: '3' },
      { section: 'a', option: 'y', value: '3' },
      { section: 'a', option: 'y', state: 'absent' },
      { section: 'b', option: 'q', value: '0' },
      { section: 'b', state: 'absent' },
      { section: 'a', option: 'z', state: 'absent' },
    ];
    let text = '';
    const msgs = steps.map((s) => {
      const a = args(s);
      const after = text === '' && a.state === 'absent' ? text : editIni(text, a);
      const msg = iniMessage(text, after, a);
      text = after;
      return msg;
    });
    expect(msgs.join('|')).toBe(
      'section and option added|option added|option changed|OK|option changed|section and option added|section removed|OK',
    );
  });
});
