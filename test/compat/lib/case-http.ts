import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ServedFiles, serveFiles } from '../../e2e/serve-files.js';
import type { CompatCase } from './cases.js';

/** The controller's address on the lab bridge: the twins reach it, nothing outside the lab does. */
const LAB_BRIDGE = '198.18.0.1';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** While a case that declares `http` runs: its folder served to the twins, and the playbook argument naming the URL. */
export async function serveCase(c: CompatCase): Promise<{ args: string[]; close(): Promise<void> }> {
  const http = c.spec.http;
  if (http === undefined) return { args: [], close: async () => {} };
  const root = join(c.dir, http.root);
  const files = new Map(filesUnder(root).map((f) => [`/${relative(root, f)}`, readFileSync(f)]));
  const served: ServedFiles = await serveFiles({ files, require: http.require, host: LAB_BRIDGE });
  return { args: ['-e', `compat_http=http://${LAB_BRIDGE}:${served.port}`], close: served.close };
}
