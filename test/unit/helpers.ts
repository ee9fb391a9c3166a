import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli.js';

/** Run the CLI in-process; returns its exit code and everything it printed. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'provision', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A playbook run on the controller itself (ansible_connection: local), through the real engine. */
export async function runLocal(
  playbook: string,
  opts: { args?: string[]; hosts?: string; files?: Record<string, string>; beforeRun?: (dir: string) => void } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'prov-run-'));
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(
    join(dir, 'inv.yaml'),
    `all:\n  vars: { ansible_connection: local, d: ${dir} }\n  hosts:\n${opts.hosts ?? '    h1: {}\n    h2: {}\n'}`,
  );
  writeFileSync(join(dir, 'pb.yaml'), playbook);
  opts.beforeRun?.(dir);
  const r = await runCli(['up', join(dir, 'inv.yaml'), '--playbook', join(dir, 'pb.yaml'), '--json', ...(opts.args ?? [])]);
  const events = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const results = events.filter((e) => e.event === 'task_result');
  return { ...r, dir, events, results, recap: events[events.length - 1] };
}
