import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { fileState } from '../reads/file-state.js';
import { installedLocales } from '../reads/installed-locales.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const LOCALE_GEN = '/etc/locale.gen';

const schema = z.strictObject({
  name: z.string().min(1).describe('the locale with its encoding, as /etc/locale.gen names it (de_CH.UTF-8)'),
  state: z.enum(['present', 'absent']).default('present').describe('generated, or not'),
});
export type LocaleGenArgs = z.infer<typeof schema>;

/** `locale -a` may spell the encoding in lower case (en_US.utf8): compare in one spelling. */
const NORMAL: Record<string, string> = {
  '.utf8': '.UTF-8',
  '.eucjp': '.EUC-JP',
  '.iso885915': '.ISO-8859-15',
  '.cp1251': '.CP1251',
  '.koi8r': '.KOI8-R',
  '.armscii8': '.ARMSCII-8',
  '.euckr': '.EUC-KR',
  '.gbk': '.GBK',
  '.gb18030': '.GB18030',
  '.euctw': '.EUC-TW',
};
const fixCase = (name: string) => Object.entries(NORMAL).reduce((n, [from, to]) => n.split(from).join(to), name);

/** Whether /etc/locale.gen lists the locale, commented out or not (the module's is_available). */
export function isListed(text: string, name: string): boolean {
  return text.split('\n').some((l) => /^#?\s*(\S+_\S+) (\S+)\s*$/.exec(l)?.[1] === name);
}

/** The module's set_locale: on each line, `[# ]NAME CHARSET` becomes `NAME CHARSET` (or `# NAME CHARSET`); NAME is a regex there, as in the module. */
export function setLocale(text: string, name: string, enabled: boolean): string {
  const pattern = new RegExp(`#?\\s*${name} (.+)`);
  return text
    .split(/(?<=\n)/)
    .map((line) => line.replace(pattern, (_m, charset: string) => `${enabled ? '' : '# '}${name} ${charset}`))
    .join('');
}

/** Pure decision: /etc/locale.gen edited and locale-gen run when the locale is not as wanted. */
export function decideLocaleGen(a: LocaleGenArgs, file: FileState, installed: readonly string[], check: boolean): Plan {
  if (!file.exists || file.type !== 'file' || !file.content)
    return {
      changes: [],
      failed: '/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?',
    };
  const text = file.content.toString('utf8');
  if (!isListed(text, a.name)) return { changes: [], failed: "The locale you've entered is not available on your system." };
  const present = installed.some((l) => fixCase(l) === fixCase(a.name));
  if (present === (a.state === 'present')) return { changes: [], data: check ? {} : { name: a.name }, msg: check ? undefined : 'OK' };
  const edited = setLocale(text, a.name, a.state === 'present');
  const write = edited === text ? [] : decideFile(file, { path: LOCALE_GEN, content: Buffer.from(edited) }).changes;
  return {
    changes: [...write, { kind: 'exec', command: 'locale-gen', description: `${a.state === 'present' ? 'generate' : 'remove'} ${a.name}` }],
    diffs: edited === text ? undefined : [{ path: LOCALE_GEN, before: text, after: edited }],
    data: check ? {} : { name: a.name },
    msg: check ? undefined : 'OK',
  };
}

export const localeGen = defineModule({
  name: 'locale_gen',
  collection: 'community.general',
  schema,
  async plan({ args, reader, check }) {
    const [file, installed] = await reader.getAll([
      ask(fileState, { path: LOCALE_GEN, content: true }),
      ask(installedLocales, {}),
    ] as const);
    return decideLocaleGen(args, file, installed, check);
  },
});
