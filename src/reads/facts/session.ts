import type { ReadValue } from '../../core/reads.js';
import { type FactCollector, type Facts, keyValues } from './collector.js';
import { PYTHON_PROBE } from './platform.js';

/** The user the gathering runs as: getpass.getuser() reads the environment first. */
export const userCollector: FactCollector = {
  name: 'user',
  facts: [
    'user_id',
    'user_uid',
    'user_gid',
    'user_gecos',
    'user_dir',
    'user_shell',
    'real_user_id',
    'effective_user_id',
    'real_group_id',
    'effective_group_id',
  ],
  script: () =>
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions
      'u=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-}}}}; [ -n "$u" ] || u=$(id -un)',
      'echo "user=$u"; echo "pw=$(getent passwd "$u" || getent passwd "$(id -u)")"',
      'echo "uid=$(id -ru)"; echo "euid=$(id -u)"; echo "gid=$(id -rg)"',
    ].join('\n'),
  parse: (text) => {
    const kv = keyValues(text);
    const [, , uid = '', gid = '', gecos = '', dir = '', shell = ''] = (kv.get('pw') ?? '').split(':');
    const realGid = Number(kv.get('gid'));
    return {
      user_id: kv.get('user') ?? '',
      user_uid: Number(uid),
      user_gid: Number(gid),
      user_gecos: gecos,
      user_dir: dir,
      user_shell: shell,
      real_user_id: Number(kv.get('uid')),
      effective_user_id: Number(kv.get('euid')),
      real_group_id: realGid,
      // Ansible's collector reads the real group id for this one too.
      effective_group_id: realGid,
    };
  },
};

/** The environment of the gathering's shell, NUL-separated and in base64 so that no value can break the framing. */
export const envCollector: FactCollector = {
  name: 'env',
  facts: ['env'],
  script: () => 'env -0 2>/dev/null | base64 | tr -d "\\n"; echo',
  parse: (text) => {
    const env: Record<string, string> = {};
    for (const entry of Buffer.from(text.trim(), 'base64').toString('utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return { env };
  },
};

/** One `date` for the local fields, and the zone's names in January and July for tz_dst. */
export const dateTimeCollector: FactCollector = {
  name: 'date_time',
  facts: ['date_time'],
  script: () =>
    [
      "LC_ALL=C date '+now=%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%N|%Z|%z'",
      'y=$(date +%Y); echo "jan=$(LC_ALL=C date -d "$y-01-01 12:00" \'+%Z|%z\' 2>/dev/null)"; echo "jul=$(LC_ALL=C date -d "$y-07-01 12:00" \'+%Z|%z\' 2>/dev/null)"',
    ].join('\n'),
  parse: (text) => ({ date_time: parseDateTime(keyValues(text)) }),
};

function parseDateTime(kv: Map<string, string>): Record<string, string> {
  const [
    year = '',
    month = '',
    weekday = '',
    wday = '',
    week = '',
    day = '',
    hour = '',
    minute = '',
    second = '',
    epoch = '',
    nanos = '',
    tz = '',
    offset = '',
  ] = (kv.get('now') ?? '').split('|');
  const micro = nanos.padEnd(9, '0').slice(0, 6);
  const utc = new Date(Number(epoch) * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const utcText = `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
  return {
    year,
    month,
    weekday,
    weekday_number: wday,
    weeknumber: week,
    day,
    hour,
    minute,
    second,
    epoch,
    epoch_int: epoch,
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    iso8601_micro: `${utcText}.${micro}Z`,
    iso8601: `${utcText}Z`,
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    tz,
    tz_dst: dstName(kv.get('jan'), kv.get('jul'), tz),
    tz_offset: offset,
  };
}

/** Python's time.tzname[1]: the zone's daylight-saving name (its only name where it has none). */
function dstName(jan: string | undefined, jul: string | undefined, tz: string): string {
  const [janName = tz, janOffset = ''] = (jan ?? '').split('|');
  const [julName = tz, julOffset = ''] = (jul ?? '').split('|');
  if (!jan || !jul || janName === julName) return julName || tz;
  return Number(julOffset) > Number(janOffset) ? julName : janName;
}

/** The interpreter Ansible would run modules with, asked once; nothing when the host has none. */
export const pythonCollector: FactCollector = {
  name: 'python',
  facts: ['python'],
  script: () =>
    [
      `py=; ${PYTHON_PROBE}`,
      '[ -n "$py" ] && "$py" -c \'import sys, json',
      'try:',
      '    from ssl import create_default_context, SSLContext',
      '    s = True',
      'except ImportError:',
      '    s = False',
      "print(json.dumps([list(sys.version_info), sys.executable, s, sys.implementation.name]))' 2>/dev/null",
    ].join('\n'),
  parse: (text): Facts => {
    const line = text.trim();
    if (!line.startsWith('[')) return {};
    const [info, executable, ssl, type] = JSON.parse(line) as [ReadValue[], string, boolean, string];
    const [major, minor, micro, releaselevel, serial] = info;
    const python: Facts = {
      version: {
        major: major ?? null,
        minor: minor ?? null,
        micro: micro ?? null,
        releaselevel: releaselevel ?? null,
        serial: serial ?? null,
      },
      version_info: info,
      executable,
      has_sslcontext: ssl,
      type,
    };
    return { python };
  },
};
