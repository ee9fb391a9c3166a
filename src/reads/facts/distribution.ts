import { splitWords } from '../../shell/quote.js';
import { type FactCollector, type Facts, fileContent, subParts } from './collector.js';

/** What both the distribution and the lsb collector read: lsb_release -a, or /etc/lsb-release. */
const LSB_SCRIPT = [
  'echo ::lsb_release; command -v lsb_release >/dev/null 2>&1 && lsb_release -a 2>/dev/null',
  'echo ::lsb_file; cat /etc/lsb-release 2>/dev/null',
].join('\n');

/**
 * Ansible's distribution collector as it decides on Linux: the `distro` library's guess from
 * os-release (and lsb_release), then the first distribution file that parses; Debian's family
 * is parsed as Ansible does it, others keep the guess.
 */
export const distributionCollector: FactCollector = {
  name: 'distribution',
  facts: [
    'distribution',
    'distribution_version',
    'distribution_release',
    'distribution_major_version',
    'distribution_minor_version',
    'distribution_file_path',
    'distribution_file_variety',
    'distribution_file_parsed',
    'os_family',
  ],
  script: () =>
    [
      'echo ::os_release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
      'echo ::debian_version; cat /etc/debian_version 2>/dev/null',
      LSB_SCRIPT,
    ].join('\n'),
  parse: (text) => parseDistribution(subParts(text)),
};

/** Ansible's lsb collector: lsb_release -a, else /etc/lsb-release; {} when neither exists. */
export const lsbCollector: FactCollector = {
  name: 'lsb',
  facts: ['lsb'],
  script: () => LSB_SCRIPT,
  parse: (text) => {
    const parts = subParts(text);
    let lsb = lsbFromCommand(parts.get('lsb_release') ?? '');
    if (Object.keys(lsb).length === 0) lsb = lsbFromFile(parts.get('lsb_file') ?? '');
    if (lsb.release !== undefined) lsb.major_release = lsb.release.split('.')[0] ?? '';
    for (const [k, v] of Object.entries(lsb)) if (v) lsb[k] = v.replace(/^['"\\]+|['"\\]+$/g, '');
    return { lsb };
  },
};

/** Which lsb fact a line of `lsb_release -a` fills, by the label it holds (the first label that matches). */
const LSB_RELEASE_LABELS: readonly (readonly [label: string, fact: string])[] = [
  ['LSB Version:', 'release'],
  ['Distributor ID:', 'id'],
  ['Description:', 'description'],
  ['Release:', 'release'],
  ['Codename:', 'codename'],
];
/** The same for the lines of /etc/lsb-release. */
const LSB_FILE_LABELS: readonly (readonly [label: string, fact: string])[] = [
  ['DISTRIB_ID', 'id'],
  ['DISTRIB_RELEASE', 'release'],
  ['DISTRIB_DESCRIPTION', 'description'],
  ['DISTRIB_CODENAME', 'codename'],
];

/** `label<separator>value` lines as facts; a later line that fills the same fact wins. */
function labelledFacts(text: string, separator: string, labels: typeof LSB_FILE_LABELS): Record<string, string> {
  const entries = text.split('\n').flatMap((line) => {
    const at = line.indexOf(separator);
    const fact = at < 0 ? undefined : labels.find(([label]) => line.includes(label))?.[1];
    return fact === undefined ? [] : [[fact, line.slice(at + 1).trim()] as const];
  });
  return Object.fromEntries(entries);
}

const lsbFromCommand = (out: string) => labelledFacts(out, ':', LSB_RELEASE_LABELS);
const lsbFromFile = (content: string) => labelledFacts(content, '=', LSB_FILE_LABELS);

/** os-release as the `distro` library reads it: shell words, keys lowercased. */
function osRelease(content: string): Map<string, string> {
  const props = new Map<string, string>();
  let words: string[];
  try {
    words = content
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .flatMap((l) => splitWords(l));
  } catch {
    // An unterminated quote: distro's shlex fails the same way and reads nothing.
    return props;
  }
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) props.set(w.slice(0, eq).toLowerCase(), w.slice(eq + 1));
  }
  return props;
}

/** Ansible's names for `distro` ids it does not simply capitalise. */
const DISTRIBUTION_NAMES: Record<string, string> = { Amzn: 'Amazon', Rhel: 'Redhat' };
const NORMALIZED_OS_ID: Record<string, string> = { ol: 'oracle', 'opensuse-leap': 'opensuse' };
/** Debian's family as Ansible's OS_FAMILY_MAP has it; the other families by their members. */
const OS_FAMILY: Record<string, string> = Object.fromEntries(
  Object.entries({
    RedHat: [
      'RedHat',
      'RHEL',
      'Fedora',
      'CentOS',
      'Scientific',
      'SLC',
      'Ascendos',
      'CloudLinux',
      'PSBM',
      'OracleLinux',
      'OVS',
      'OEL',
      'Amazon',
      'Virtuozzo',
      'XenServer',
      'Alibaba',
      'EulerOS',
      'openEuler',
      'AlmaLinux',
      'Rocky',
      'TencentOS',
      'EuroLinux',
      'Kylin Linux Advanced Server',
    ],
    Debian: [
      'Debian',
      'Ubuntu',
      'Raspbian',
      'Neon',
      'KDE neon',
      'Linux Mint',
      'SteamOS',
      'Devuan',
      'Kali',
      'Cumulus Linux',
      'Pop!_OS',
      'Parrot',
      'Pardus GNU/Linux',
      'Uos',
      'Deepin',
      'OSMC',
    ],
    Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
    Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
    Gentoo: ['Gentoo', 'Funtoo'],
    Alpine: ['Alpine'],
    ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
  }).flatMap(([family, names]) => names.map((n) => [n, family])),
);

function parseDistribution(parts: Map<string, string>): Facts {
  const osr = osRelease(parts.get('os_release') ?? '');
  const lsb = lsbFromCommand(parts.get('lsb_release') ?? '');
  const rawId = (osr.get('id') ?? lsb.id ?? '').toLowerCase().replace(/ /g, '_');
  const id = NORMALIZED_OS_ID[rawId] ?? rawId;
  const capitalised = id ? id.charAt(0).toUpperCase() + id.slice(1).toLowerCase() : 'OtherLinux';
  const versions = [osr.get('version_id') ?? '', lsb.release ?? ''];
  // distro's version(best=True), which Ansible asks for on Debian: the most precise candidate.
  const best = versions.reduce((b, v) => (v.split('.').length > b.split('.').length || b === '' ? v : b), '');
  const version = (id === 'debian' ? best : versions.find((v) => v !== '')) || 'NA';
  const codename = osr.get('version_codename') ?? osr.get('ubuntu_codename') ?? lsb.codename;
  const facts: Facts = {
    distribution: DISTRIBUTION_NAMES[capitalised] ?? capitalised,
    distribution_version: version,
    distribution_release: codename ?? 'NA',
    distribution_major_version: version.split('.')[0] || 'NA',
  };
  const content = (parts.get('os_release') ?? '').replace(/^['"\\]+|['"\\]+$/g, '');
  // Other families' distribution files are not parsed: their facts stay the os-release guess.
  const debian = content.trim() === '' ? undefined : parseDebianFile(content, parts.get('debian_version'));
  if (debian) {
    Object.assign(facts, debian);
    facts.distribution_file_path = '/etc/os-release';
    facts.distribution_file_variety = 'Debian';
    facts.distribution_file_parsed = true;
  }
  const distribution = String(facts.distribution);
  facts.os_family = OS_FAMILY[distribution] ?? distribution;
  return facts;
}

/** Ansible's parse_distribution_file_Debian, for the members of Debian's family it names in os-release. */
export function parseDebianFile(data: string, debianVersion: string | undefined): Facts | undefined {
  const facts: Facts = {};
  if (data.includes('Debian') || data.includes('Raspbian')) {
    facts.distribution = 'Debian';
    const release = /PRETTY_NAME=[^(]+ \(?([^)]+?)\)/.exec(data);
    if (release?.[1]) facts.distribution_release = release[1];
    for (const line of (fileContent(debianVersion) ?? '').split('\n')) {
      const m = /(\d+)\.(\d+)/.exec(line.trim());
      if (m?.[2]) facts.distribution_minor_version = m[2];
    }
    return facts;
  }
  if (data.includes('Ubuntu')) return { distribution: 'Ubuntu' };
  if (data.includes('Devuan')) {
    facts.distribution = 'Devuan';
    const release = /PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/.exec(data);
    if (release?.[1]) facts.distribution_release = release[1];
    const version = /VERSION_ID="(.*)"/.exec(data);
    if (version?.[1] !== undefined) {
      facts.distribution_version = version[1];
      facts.distribution_major_version = version[1];
    }
    return facts;
  }
  if (data.includes('Mint')) {
    facts.distribution = 'Linux Mint';
    const version = /VERSION_ID="(.*)"/.exec(data);
    if (version?.[1] !== undefined) {
      facts.distribution_version = version[1];
      facts.distribution_major_version = version[1].split('.')[0] ?? '';
    }
    return facts;
  }
  return undefined;
}
