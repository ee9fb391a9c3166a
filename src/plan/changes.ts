import { sha256 } from '../core/input-files.js';
import type { Change } from '../core/plan.js';
import { toJson } from '../core/read-value.js';
import type { ReadRequest, ReadValue } from '../core/reads.js';
import { stableJson } from '../core/reads.js';
import { secrets } from '../secrets.js';
import type { PlanDigest } from './plan-key.js';
import type { PlannedChange } from './schema.js';

/** A text is secret when it holds a registered secret's text (what masking would hide). */
export function holdsSecret(text: string | Buffer | undefined): boolean {
  if (text === undefined) return false;
  const s = typeof text === 'string' ? text : text.toString('utf8');
  return secrets.mask(s) !== s;
}

/** How a plan names content: its sha256, or for a secret its HMAC under the plan key (src/plan/plan-key.ts). */
export function digestOf(digest: PlanDigest, content: string | Buffer, secret: boolean): { sha256: string } | { hmac: string } {
  return secret ? { hmac: digest.keyed(content) } : { sha256: digest.plain(content) };
}

/** A module's changes as a plan holds them: commands masked and hashed, file contents by hash only. */
export function plannedChanges(changes: readonly Change[], digest: PlanDigest): PlannedChange[] {
  return changes.map((c): PlannedChange => {
    if (c.kind === 'exec') {
      const exact = c.stdin ? `${c.command}\0${digest.plain(c.stdin)}` : c.command;
      const secret = holdsSecret(c.command) || holdsSecret(c.stdin);
      return {
        kind: 'exec',
        description: secrets.mask(c.description),
        command: secrets.mask(c.command),
        ...digestOf(digest, exact, secret),
      };
    }
    if (c.kind === 'reboot')
      return { kind: 'reboot', description: secrets.mask(c.description), sha256: digest.plain(stableJson({ ...c.reboot })) };
    if (c.kind === 'controller-write')
      return {
        kind: 'controller-write',
        description: secrets.mask(c.description),
        path: c.path,
        ...digestOf(digest, c.content, holdsSecret(c.content)),
      };
    const { file } = c;
    const content = typeof file.content === 'function' ? undefined : file.content;
    const secret = holdsSecret(content);
    return {
      kind: 'write',
      description: secrets.mask(c.description),
      path: file.path,
      ...(content && digestOf(digest, content, secret)),
      mode: file.mode,
      owner: file.owner,
      group: file.group,
      secret,
    };
  });
}

/** A change's changes hold a secret: the reads its decision used are fingerprinted with the key too. */
export function isSecretChange(c: PlannedChange): boolean {
  return c.kind === 'write' ? c.secret : 'hmac' in c && c.hmac !== undefined;
}

/** Two decisions make the same changes: same commands, same files with the same content, mode and owner. */
export function sameChanges(a: readonly PlannedChange[], b: readonly PlannedChange[]): boolean {
  return a.length === b.length && a.every((c, i) => changeKey(c) === changeKey(b[i]));
}

function contentKey(c: { sha256?: string; hmac?: string }): string {
  if (c.hmac !== undefined) return `hmac:${c.hmac}`;
  return c.sha256 ?? 'fetched';
}

function changeKey(c: PlannedChange | undefined): string {
  if (!c) return '';
  switch (c.kind) {
    case 'exec':
      return `exec ${contentKey(c)}`;
    case 'reboot':
      return `reboot ${c.sha256}`;
    case 'controller-write':
      return `controller-write ${c.path} ${contentKey(c)}`;
    case 'write':
      return `write ${c.path} ${contentKey(c)} ${c.mode ?? ''} ${c.owner ?? ''} ${c.group ?? ''}`;
  }
}

/** What a change does, for a refusal: the command or the path (masked). */
export function describeChange(c: PlannedChange): string {
  switch (c.kind) {
    case 'exec':
      return `run ${firstLine(c.command)}`;
    case 'reboot':
      return 'reboot';
    case 'controller-write':
      return `write ${c.path} on the controller`;
    case 'write':
      return `write ${c.path}`;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The state part of a read's value (Read.stable) as stable JSON: what a plan fingerprints. */
export function readState(request: ReadRequest, value: ReadValue): string {
  return stableJson(toJson(request.stable(value)));
}

/** The value read holds a secret's text (a file's content read for a diff). */
export function readHoldsSecret(value: ReadValue | undefined): boolean {
  if (typeof value === 'string') return holdsSecret(value);
  if (Buffer.isBuffer(value)) return holdsSecret(value);
  if (Array.isArray(value)) return value.some(readHoldsSecret);
  if (value && typeof value === 'object') return Object.values(value as Record<string, ReadValue>).some(readHoldsSecret);
  return false;
}

/** The plain hash a plan keeps of a read's value: sha256 of its state part (keyed instead for a secret, see plan-key.ts). */
export function readFingerprint(request: ReadRequest, value: ReadValue): string {
  return sha256(readState(request, value));
}
