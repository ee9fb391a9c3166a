#!/usr/bin/env node
// Records what OpenSSH resolves for each case of test/fixtures/ssh-config/cases.txt:
// `ssh -G -F CONFIG [OPTIONS] HOST` reads the config and prints the result without connecting.
// The configs' absolute Include paths point into CORPUS_DIR, so the fixtures are copied there first.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

const FIXTURES = new URL('../test/fixtures/ssh-config/', import.meta.url).pathname;
export const CORPUS_DIR = '/tmp/provision-ssh-corpus';

rmSync(CORPUS_DIR, { recursive: true, force: true });
cpSync(FIXTURES, CORPUS_DIR, { recursive: true });
const cases = {};
for (const line of readFileSync(join(FIXTURES, 'cases.txt'), 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [dir, host, ...options] = line.trim().split(/\s+/);
  const out = execFileSync('ssh', ['-G', '-F', join(CORPUS_DIR, dir, 'config'), ...options, host], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cases[line.trim()] = out.trim().split('\n');
}
const version = execFileSync('ssh', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
// ssh reads the password database for ~, not $HOME: record whose home it was.
const recorded = { openssh: version || 'see stderr of ssh -V', home: homedir(), user: userInfo().username, cases };
writeFileSync(join(FIXTURES, 'expected.json'), `${JSON.stringify(recorded, null, 1)}\n`);
console.log(`recorded ${Object.keys(cases).length} cases`);
