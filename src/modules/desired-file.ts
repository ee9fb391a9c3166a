import { createHash } from 'node:crypto';
import type { FileState } from '../core/file-state.js';
import type { Change, DesiredFile, FileDiff, Plan } from '../core/plan.js';
import type { HostReader } from '../core/reads.js';
import { fileState } from '../reads/file-state.js';
import { commandLine } from '../shell/quote.js';
import { normalizeMode, resolveMode } from './mode.js';

export { normalizeMode } from './mode.js';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function isText(buf: Buffer): boolean {
  return !buf.subarray(0, 8192).includes(0);
}

/** The file a module's arguments ask for (copy, template, lineinfile): the attributes picked once, the mode normalized. */
export function desiredFile(
  path: string,
  content: Buffer,
  a: { mode?: string | number; owner?: string; group?: string; backup?: boolean; validate?: string },
): DesiredFile {
  return { path, content, mode: normalizeMode(a.mode), owner: a.owner, group: a.group, backup: a.backup, validate: a.validate };
}

/** Before/after for output: text for text files, a one-line summary otherwise. */
export function fileDiff(path: string, before: FileState, after: Buffer): FileDiff {
  const old = before.exists ? before.content : Buffer.alloc(0);
  if (before.exists && !old)
    return { path, before: '', after: '', summary: `${before.size} bytes -> ${after.length} bytes (too large to diff)` };
  if (!isText(after) || (old && !isText(old))) {
    return { path, before: '', after: '', summary: `binary: ${before.exists ? before.size : 0} bytes -> ${after.length} bytes` };
  }
  return { path, before: old ? old.toString('utf8') : '', after: after.toString('utf8') };
}

/**
 * Attribute changes (mode, owner, group) for a path that exists. A path just created has an
 * empty mode: a symbolic mode then applies to what creating it gave (0644, a directory 0755).
 */
export function attributeChanges(state: FileState, want: { path: string; mode?: string; owner?: string; group?: string }): Change[] {
  if (!state.exists) return [];
  const changes: Change[] = [];
  const mode = resolveMode(want.mode, state.mode || undefined, state.type === 'directory');
  if (mode && state.mode !== mode) {
    changes.push({
      kind: 'exec',
      command: commandLine(['chmod', mode, '--', want.path]),
      description: state.mode ? `mode ${state.mode} -> ${mode}` : `set mode ${mode}`,
    });
  }
  const ownerDiffers = want.owner && state.owner !== want.owner;
  const groupDiffers = want.group && state.group !== want.group;
  if (ownerDiffers || groupDiffers) {
    const spec = `${ownerDiffers ? want.owner : ''}${groupDiffers ? `:${want.group}` : ''}`;
    changes.push({
      kind: 'exec',
      command: commandLine(['chown', '-h', spec, '--', want.path]),
      description: state.owner
        ? `owner ${state.owner}:${state.group} -> ${want.owner ?? state.owner}:${want.group ?? state.group}`
        : `set owner ${spec}`,
    });
  }
  return changes;
}

/** The shared decision of copy, template, lineinfile: write when the content differs, else fix attributes. */
export async function planFile(reader: HostReader, want: DesiredFile, force = true): Promise<Plan> {
  const state = await reader.get(fileState, { path: want.path, content: true });
  // force: false leaves an existing file alone, content and attributes (Ansible does the same).
  if (!force && state.exists) return { changes: [], msg: `${want.path} exists (force: false)` };
  return decideFile(state, want);
}

export function decideFile(state: FileState, want: DesiredFile): Plan {
  if (state.exists && state.type === 'directory') return { changes: [], failed: `${want.path} is a directory` };
  const same = state.exists && state.type === 'file' && state.sha256 === sha256(want.content);
  if (same) {
    const changes = attributeChanges(state, want);
    return { changes, msg: changes.length ? undefined : 'content and attributes match' };
  }
  const mode = resolveMode(want.mode, state.exists ? state.mode : undefined, false);
  return {
    changes: [{ kind: 'write', file: { ...want, mode }, description: state.exists ? `update ${want.path}` : `create ${want.path}` }],
    diffs: [fileDiff(want.path, state, want.content)],
  };
}
