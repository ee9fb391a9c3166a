import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ProvisionError } from '../errors.js';
import type { AnsibleConfig } from './ansible-cfg.js';

// What `provision up` runs: the inventory sources and the playbook, from its arguments and the
// configuration. Both spellings work: provision's `up INVENTORY [-p PLAYBOOK]` and
// ansible-playbook's `-i INVENTORY PLAYBOOK` (or the inventory of ansible.cfg / ANSIBLE_INVENTORY).

export interface UpArguments {
  /** Words after `up`: at most two. */
  positional: string[];
  /** Every `-i/--inventory`, in order. */
  inventory: string[];
  playbook?: string;
}

export interface Project {
  inventory: string[];
  /** Undefined: the default playbook beside the inventory. */
  playbook?: string;
}

const usage = (message: string, hint: string) => new ProvisionError('usage', message, { hint });

/**
 * One word and no -i is the inventory, as always, unless it is a playbook (a YAML list of plays:
 * no inventory is one), which is how an Ansible user with a configured inventory calls it.
 */
export function resolveProject(args: UpArguments, cfg: Pick<AnsibleConfig, 'inventory' | 'file'>, isPlaybook = isPlaybookFile): Project {
  const words = [...args.positional];
  if (words.length > 2)
    throw usage(
      `up takes an inventory and a playbook, got ${words.length} words: ${words.join(' ')}`,
      'write provision up -i INVENTORY PLAYBOOK',
    );
  let inventory = [...args.inventory];
  let playbook = args.playbook;
  const takePlaybook = (word: string) => {
    if (playbook !== undefined) throw usage(`the playbook is given twice: "${word}" and --playbook ${playbook}`, 'give it once');
    playbook = word;
  };
  if (inventory.length > 0) {
    if (words.length === 2)
      throw usage(`with -i, up takes only the playbook, got ${words.join(' ')}`, 'write provision up -i INVENTORY PLAYBOOK');
    if (words[0] !== undefined) takePlaybook(words[0]);
  } else if (words.length === 2) {
    inventory = [words[0] ?? ''];
    takePlaybook(words[1] ?? '');
  } else if (words[0] !== undefined) {
    if (isPlaybook(words[0])) takePlaybook(words[0]);
    else inventory = [words[0]];
  }
  if (inventory.length === 0) inventory = [...cfg.inventory];
  if (inventory.length === 0)
    throw usage(
      'no inventory: none is given and none is configured',
      'give one with -i INVENTORY (repeatable) or as the first argument, or set inventory under [defaults] in ansible.cfg or ANSIBLE_INVENTORY',
    );
  return { inventory, playbook };
}

/** A file holding a YAML list: a playbook. Anything else (a mapping, INI text, a directory) is not. */
export function isPlaybookFile(path: string): boolean {
  try {
    if (!statSync(path).isFile() || !['.yml', '.yaml', ''].includes(extname(path))) return false;
    const doc = parseDocument(readFileSync(path, 'utf8'), { logLevel: 'silent' });
    return doc.errors.length === 0 && Array.isArray(doc.toJS());
  } catch {
    // Unreadable or not YAML: not a playbook; the inventory loader reports what is wrong with it.
    return false;
  }
}
