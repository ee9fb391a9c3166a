import { execFileSync } from 'node:child_process';

const CLI = ['bin/provision.js'];
const LABS = ['inventory/lab.yaml', 'test/e2e/engine-lab.yaml'];

function provision(...args: string[]): void {
  execFileSync('node', [...CLI, ...args], { stdio: 'inherit' });
}

/** Boot the lab once for every end-to-end file; tear it down after, unless asked to keep it. */
export async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the end-to-end tests boot a lab and need root');
  for (const inv of LABS) provision('lab', 'up', inv);
}

export async function teardown(): Promise<void> {
  if (process.env.PROVISION_KEEP_LAB) return;
  provision('lab', 'down');
}
