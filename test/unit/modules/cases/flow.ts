import type { HttpRequestArgs } from '../../../../src/reads/http-request.js';
import type { Case } from '../case.js';
import { exists, read } from '../fake-reader.js';

const SCRIPT = { 'setup.sh': '#!/bin/sh\necho set up\n' };

/** The request uri sends for a plain GET of `url`, as uriRequest builds it. */
const get = (url: string, extra: Partial<HttpRequestArgs> = {}): HttpRequestArgs => ({
  url,
  method: 'GET',
  headers: {},
  body: null,
  timeout: 30,
  validate_certs: true,
  follow_redirects: 'safe',
  ...extra,
});

const response = (status: number, body: string, contentType = 'application/json', reason = 'OK') => ({
  status,
  url: 'http://127.0.0.1:8080/health',
  reason,
  headers: [
    ['Content-Type', contentType],
    ['Content-Length', String(body.length)],
  ],
  body: Buffer.from(body),
  error: null,
});

const facts = {
  os_family: 'Debian',
  distribution: 'Debian',
  distribution_major_version: '12',
  memtotal_mb: 1024,
  interfaces: ['lo', 'host0'],
  default_ipv4: { interface: 'host0', address: '198.18.1.104' },
};
/** What the host gathers for `!all,network`: the minimal collectors' facts and the network ones. */
const networkFacts = {
  os_family: 'Debian',
  distribution: 'Debian',
  distribution_major_version: '12',
  interfaces: ['lo', 'host0'],
  default_ipv4: { interface: 'host0', address: '198.18.1.104' },
};

/** fail, raw, script, pause, add_host, group_by, setup, debug verbosity, uri: recorded against ansible-core 2.14. */
export const flowCases: Case[] = [
  { name: 'fail with its message', module: 'fail', args: { msg: 'unsupported release' }, reads: [], failed: /^unsupported release$/ },
  { name: "fail without msg: Ansible's text", module: 'fail', args: {}, reads: [], failed: /^Failed as requested from task$/ },
  {
    name: 'raw sends the line as it is, nothing read first',
    module: 'raw',
    args: { cmd: 'test -e /usr/bin/python3 || apt-get install -y python3' },
    reads: [],
    roundTrips: 0,
    changes: ['test -e /usr/bin/python3 || apt-get install -y python3'],
    alwaysChanges: 'raw runs every time, as in Ansible (changed_when decides otherwise)',
  },
  {
    name: 'raw in check mode: shown as what it would run',
    module: 'raw',
    check: true,
    args: { cmd: 'uptime', executable: '/bin/bash' },
    reads: [],
    changes: ['uptime'],
    alwaysChanges: 'raw runs every time',
  },
  {
    name: 'script runs when creates is missing',
    module: 'script',
    args: { cmd: 'setup.sh --quiet', creates: '/etc/app/.done' },
    files: SCRIPT,
    reads: [exists('/etc/app/.done', false)],
    changes: ['run script setup.sh --quiet'],
  },
  {
    name: 'script twin: creates exists, skipped as Ansible',
    module: 'script',
    args: { cmd: 'setup.sh --quiet', creates: '/etc/app/.done' },
    files: SCRIPT,
    reads: [exists('/etc/app/.done', true)],
    changes: [],
    skipped: /\/etc\/app\/.done exists, matching creates option/,
  },
  {
    name: 'script with creates and removes: one round trip',
    module: 'script',
    args: { cmd: 'setup.sh', creates: '/a', removes: '/b' },
    files: SCRIPT,
    reads: [exists('/a', false), exists('/b', false)],
    roundTrips: 1,
    changes: [],
    skipped: /\/b does not exist, matching removes option/,
  },
  {
    name: 'script in check mode with creates: would run (changed, as Ansible)',
    module: 'script',
    check: true,
    args: { cmd: 'setup.sh --quiet', creates: '/etc/app/.done' },
    files: SCRIPT,
    reads: [exists('/etc/app/.done', false)],
    changes: ['run script setup.sh --quiet'],
  },
  {
    name: 'script in check mode without creates or removes: skipped, as Ansible',
    module: 'script',
    check: true,
    args: { cmd: 'setup.sh' },
    files: SCRIPT,
    reads: [],
    roundTrips: 0,
    changes: [],
    skipped: /^Check mode is not supported for this task\.$/,
  },
  { name: 'script: chdir must be absolute', module: 'script', args: { cmd: 'setup.sh', chdir: 'tmp' }, reads: [], failed: /absolute path/ },
  {
    name: 'pause waits, reads nothing and changes nothing',
    module: 'pause',
    args: { seconds: 1 },
    reads: [],
    changes: [],
    data: { changed: false, rc: 0, stderr: '', delta: 1, echo: true, user_input: '' },
  },
  {
    name: 'pause without a duration waits for a key: refused',
    module: 'pause',
    args: { prompt: 'Continue?' },
    reads: [],
    failed: /does not prompt/,
  },
  { name: 'pause: seconds and minutes together', module: 'pause', args: { seconds: 1, minutes: 1 }, reads: [], failed: /not both/ },
  {
    name: 'add_host: name:port, groups as text, the other keys are host variables',
    module: 'add_host',
    args: { name: 'web9:2222', groups: 'web, new', ansible_host: '198.18.1.104', role: 'edge' },
    reads: [],
    changes: [],
    data: {
      add_host: {
        host_name: 'web9',
        groups: ['web', 'new'],
        host_vars: { ansible_host: '198.18.1.104', role: 'edge', ansible_ssh_port: 2222 },
      },
    },
  },
  { name: 'add_host needs a name', module: 'add_host', args: { groups: 'web' }, reads: [], failed: /name, host or hostname/ },
  {
    name: 'group_by: spaces become dashes, parents default to all',
    module: 'group_by',
    args: { key: 'os Debian 12' },
    reads: [],
    changes: [],
    data: { add_group: 'os-Debian-12', parent_groups: ['all'] },
  },
  {
    name: 'setup with a filter keeps the matching facts, under their ansible_ names',
    module: 'setup',
    args: { filter: ['ansible_distribution*', 'os_family'] },
    reads: [read('host_facts', { gather_subset: ['all'], gather_timeout: 10 }, facts)],
    changes: [],
    data: { ansible_facts: { ansible_distribution: 'Debian', ansible_distribution_major_version: '12', ansible_os_family: 'Debian' } },
  },
  {
    name: 'setup gather_subset !all,network: the host gathers those collectors only (the read narrows, setup keeps all it gets)',
    module: 'setup',
    args: { gather_subset: '!all,network', gather_timeout: 5 },
    reads: [read('host_facts', { gather_subset: ['!all', 'network'], gather_timeout: 5 }, networkFacts)],
    changes: [],
    data: { ansible_facts: Object.fromEntries(Object.entries(networkFacts).map(([k, v]) => [`ansible_${k}`, v])) },
  },
  {
    name: 'setup: an unknown subset fails as Ansible',
    module: 'setup',
    args: { gather_subset: 'disks' },
    reads: [],
    failed: /Bad subset 'disks'/,
  },
  {
    name: 'debug with verbosity above the run level: skipped, as Ansible',
    module: 'debug',
    args: { msg: 'detail', verbosity: 1 },
    vars: { ansible_verbosity: 0 },
    reads: [],
    changes: [],
    skipped: /^Verbosity threshold not met\.$/,
    data: { skipped_reason: 'Verbosity threshold not met.' },
  },
  {
    name: 'debug with verbosity met by -v',
    module: 'debug',
    args: { msg: 'detail', verbosity: 1 },
    vars: { ansible_verbosity: 1 },
    reads: [],
    changes: [],
    msg: 'detail',
  },
  {
    name: 'uri GET: status, headers as keys, the JSON body parsed',
    module: 'uri',
    args: { url: 'http://127.0.0.1:8080/health' },
    reads: [read('http_request', get('http://127.0.0.1:8080/health'), response(200, '{"up": true}'))],
    changes: [],
    data: { status: 200, json: { up: true }, content_type: 'application/json', content_length: '12', msg: 'OK (12 bytes)', changed: false },
  },
  {
    name: 'uri POST json: body encoded as json.dumps does, Content-Type added, status_code list',
    module: 'uri',
    args: { url: 'http://127.0.0.1:8080/items', method: 'post', body: { name: 'a', n: 1 }, body_format: 'json', status_code: [200, 201] },
    reads: [
      read(
        'http_request',
        get('http://127.0.0.1:8080/items', {
          method: 'POST',
          body: '{"name": "a", "n": 1}',
          headers: { 'Content-Type': 'application/json' },
        }),
        response(201, '{"id": 7}', 'application/json', 'Created'),
      ),
    ],
    changes: [],
    data: { status: 201, json: { id: 7 } },
  },
  {
    name: "uri: a status outside status_code fails with Ansible's message",
    module: 'uri',
    args: { url: 'http://127.0.0.1:8080/health', return_content: true },
    reads: [read('http_request', get('http://127.0.0.1:8080/health'), response(404, 'no', 'text/plain', 'Not Found'))],
    failed: /^Status code was 404 and not \[200\]: HTTP Error 404: Not Found$/,
  },
  {
    name: 'uri in check mode: not sent, skipped as Ansible',
    module: 'uri',
    check: true,
    args: { url: 'http://127.0.0.1:8080/items', method: 'POST' },
    reads: [],
    changes: [],
    skipped: /does not support check mode/,
  },
  {
    name: 'uri with creates present: not sent',
    module: 'uri',
    args: { url: 'http://127.0.0.1:8080/items', method: 'POST', creates: '/etc/app/registered' },
    reads: [exists('/etc/app/registered', true)],
    changes: [],
    data: { stdout: "skipped, since '/etc/app/registered' exists" },
  },
];
