import { sha256 } from '../core/input-files.js';
import type { Change } from '../core/plan.js';
import { toJson } from '../core/read-value.js';
import type { ReadRequest, ReadValue } from '../core/reads.js';
import { stableJson } from '../core/reads.js';
import { secrets } from '../secrets.js';
import type { PlannedChange } from './schema.js';

/** A module's changes as a plan holds them: commands masked and hashed, file contents by hash only. */
export function plannedChanges(changes: readonly Change[]): PlannedChange[] {
  return changes.map((c): PlannedChange => {
    if (c.kind === 'exec') {
      const exact = c.stdin ? `${c.command}\0${sha256(c.stdin)}` : c.command;
      return { kind: 'exec', description: secrets.mask(c.description), command: secrets.mask(c.command), sha256: sha256(exact) };
    }
    if (c.kind === 'reboot')
      return { kind: 'reboot', description: secrets.mask(c.description), sha256: sha256(stableJson({ ...c.reboot })) };
    if (c.kind === 'controller-write')
      return { kind: 'controller-write', description: secrets.mask(c.description), path: c.path, sha256: sha256(c.content) };
    const { file } = c;
    const content = typeof file.content === 'function' ? undefined : file.content;
    const text = content?.toString('utf8');
    return {
      kind: 'write',
      description: secrets.mask(c.description),
      path: file.path,
      sha256: content && sha256(content),
      mode: file.mode,
      owner: file.owner,
      group: file.group,
      secret: text !== undefined && secrets.mask(text) !== text,
    };
  });
}

/** Two decisions make the same changes: same commands, same files with the same content, mode and owner. */
export function sameChanges(a: readonly PlannedChange[], b: readonly PlannedChange[]): boolean {
  return a.length === b.length && a.every((c, i) => changeKey(c) === changeKey(b[i]));
}

function changeKey(c: PlannedChange | undefined): string {
  if (!c) return '';
  switch (c.kind) {
    case 'exec':
      return `exec ${c.sha256}`;
    case 'reboot':
      return `reboot ${c.sha256}`;
    case 'controller-write':
      return `controller-write ${c.path} ${c.sha256}`;
    case 'write':
      return `write ${c.path} ${c.sha256 ?? 'fetched'} ${c.mode ?? ''} ${c.owner ?? ''} ${c.group ?? ''}`;
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

/** The hash a plan keeps of a read's value: its state part (Read.stable), as stable JSON. */
export function readFingerprint(request: ReadRequest, value: ReadValue): string {
  return sha256(stableJson(toJson(request.stable(value))));
}
