import { splitWords } from '../../shell/quote.js';
import { type FactCollector, type Facts, fileContent, printText, subParts } from './collector.js';

/**
 * Debian 12's lsb_release (lsb-release-minimal, which python3-apt, and so every host Ansible's apt
 * module works on, pulls in) is a shell script that restates os-release, starting a dozen processes
 * to do it. Where it is that script, its answer is made from os-release (`lsbReleaseRestated`).
 */
const LSB_RESTATES_OS_RELEASE = [
  '[ "$(command -v lsb_release)" = /usr/bin/lsb_release ]',
  '{ { IFS= read -r l; IFS= read -r l2; IFS= read -r l3; } < /usr/bin/lsb_release; } 2>/dev/null',
  `[ "$l" = '#!/bin/sh' ]`,
  `case "$l3" in *'Gioele Barabucci'*) true ;; *) false ;; esac`,
].join(' && ');

/** What both the distribution and the lsb collector read: lsb_release -a, or /etc/lsb-release. */
const LSB_SCRIPT = [
  'echo ::lsb_release',
  `if ${LSB_RESTATES_OS_RELEASE}; then echo ::lsb_restated; ${printText('/etc/os-release')} || ${printText('/usr/lib/os-release')}`,
  'elif command -v lsb_release >/dev/null 2>&1; then lsb_release -a 2>/dev/null; fi',
  `echo ::lsb_file; ${printText('/etc/lsb-release')}`,
].join('\n');

/** What lsb-release-minimal prints for `-a` (its labels, its capitalised ID, its n/a), from the os-release it reads. */
export function lsbReleaseRestated(osReleaseText: string): string {
  const osr = osRelease(osReleaseText);
  const rawId = osr.get('id') ?? '';
  let id = rawId.charAt(0).toUpperCase() + rawId.slice(1);
  const name = osr.get('name');
  if (name !== undefined && id.toLowerCase() === name.toLowerCase()) id = name;
  const line = (label: string, value: string | undefined) => `${label}:\t${value || 'n/a'}`;
  return [
    line('Distributor ID', id),
    line('Description', osr.get('pretty_name')),
    line('Release', osr.get('version_id')),
    line('Codename', osr.get('version_codename')),
  ].join('\n');
}

/** lsb_release -a's output, run on the host or restated from os-release. */
function lsbReleaseOutput(parts: Map<string, string>): string {
  const restated = parts.get('lsb_restated');
  return restated === undefined ? (parts.get('lsb_release') ?? '') : lsbReleaseRestated(restated);
}

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
      `echo ::os_release; ${printText('/etc/os-release')} || ${printText('/usr/lib/os-release')}`,
      `echo ::debian_version; ${printText('/etc/debian_version')}`,
      LSB_SCRIPT,
    ].join('\n'),
  // Builtins only, no exit: the gathering's shell runs it itself.
  inline: true,
  parse: (text) => parseDistribution(subParts(text)),
};

/** Ansible's lsb collector: lsb_release -a, else /etc/lsb-release; {} when neither exists. */
export const lsbCollector: FactCollector = {
  name: 'lsb',
  facts: ['lsb'],
  script: () => LSB_SCRIPT,
  inline: true,
  parse: (text) => {
    const parts = subParts(text);
    let lsb = lsbFromCommand(lsbReleaseOutput(parts));
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
  const lsb = lsbFromCommand(lsbReleaseOutput(parts));
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

/** `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"`: the codename is in the parentheses after the name. */
const DEBIAN_CODENAME = /PRETTY_NAME=[^(]+ \(?([^)]+?)\)/;
/** Devuan's codename may come bare, `PRETTY_NAME="Devuan GNU/Linux ceres"`. */
const DEVUAN_CODENAME = /PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/;
const QUOTED_VERSION_ID = /VERSION_ID="(.*)"/;
const POINT_RELEASE = /(\d+)\.(\d+)/;

/** The codename a PRETTY_NAME pattern finds, as distribution_release; nothing when it finds none. */
function codename(pattern: RegExp, osRelease: string): Facts {
  const release = pattern.exec(osRelease)?.[1];
  return release ? { distribution_release: release } : {};
}

/** os-release says 12, not 12.4: the point release comes from /etc/debian_version, its last line holding an `N.N`. */
function debianMinorVersion(debianVersion: string | undefined): Facts {
  const minors = (fileContent(debianVersion) ?? '').split('\n').flatMap((line) => POINT_RELEASE.exec(line)?.[2] ?? []);
  const minor = minors.at(-1);
  return minor === undefined ? {} : { distribution_minor_version: minor };
}

/** A quoted VERSION_ID as the version, and as the major version whole or up to its first dot. */
function quotedVersion(osRelease: string, major: (version: string) => string): Facts {
  const version = QUOTED_VERSION_ID.exec(osRelease)?.[1];
  return version === undefined ? {} : { distribution_version: version, distribution_major_version: major(version) };
}

/**
 * The members of Debian's family whose os-release corrects the `distro` guess, by a name the file
 * mentions (the first row that matches wins: a Raspbian file is Debian's, and says both).
 */
const DEBIAN_FAMILY: readonly { mentions: readonly string[]; facts: (osRelease: string, debianVersion: string | undefined) => Facts }[] = [
  {
    mentions: ['Debian', 'Raspbian'],
    facts: (osRelease, debianVersion) => ({
      distribution: 'Debian',
      ...codename(DEBIAN_CODENAME, osRelease),
      ...debianMinorVersion(debianVersion),
    }),
  },
  { mentions: ['Ubuntu'], facts: () => ({ distribution: 'Ubuntu' }) },
  {
    mentions: ['Devuan'],
    // Devuan numbers its releases without a minor part: the version is also the major version.
    facts: (osRelease) => ({
      distribution: 'Devuan',
      ...codename(DEVUAN_CODENAME, osRelease),
      ...quotedVersion(osRelease, (version) => version),
    }),
  },
  {
    mentions: ['Mint'],
    facts: (osRelease) => ({ distribution: 'Linux Mint', ...quotedVersion(osRelease, (version) => version.split('.')[0] ?? '') }),
  },
];

/**
 * What a Debian-family os-release says beyond the `distro` guess (the name, codename, point
 * release), as Ansible reads it; undefined for a file of another family.
 */
export function parseDebianFile(osRelease: string, debianVersion: string | undefined): Facts | undefined {
  return DEBIAN_FAMILY.find(({ mentions }) => mentions.some((name) => osRelease.includes(name)))?.facts(osRelease, debianVersion);
}
