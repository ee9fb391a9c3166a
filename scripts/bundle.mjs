#!/usr/bin/env node
// One file for the CLI to load (dist/provision.cjs), made from tsc's output after `tsc`: Node then
// reads and compiles one script instead of a few hundred modules, which is most of provision's
// start-up. CommonJS, not ESM: a classic script can be compiled with V8's code cache
// (bin/provision.js keeps one beside it), an ES module cannot on Node 20. ssh2 stays outside: it
// loads optional native parts by path.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/provision.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['ssh2'],
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // The one import.meta use (cli.ts finds package.json) gets the bundle's own URL: dist/ sits where
  // dist/cli.js does, so the relative path still holds.
  define: { 'import.meta.url': 'provisionBundleUrl' },
  banner: { js: "const provisionBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// A code cache made for the previous bundle would be rejected anyway: start clean. The ESM bundle
// of earlier builds would only mislead.
for (const stale of ['dist/provision.cjs.cache', 'dist/provision.mjs', 'dist/provision.mjs.map']) rmSync(stale, { force: true });
