#!/usr/bin/env node
// One file for the CLI to load (dist/provision.mjs), made from tsc's output after `tsc`: Node then
// reads and compiles one module instead of a few hundred, which is most of provision's start-up
// (35% less start-up CPU measured on the lab machine). ssh2 stays outside: it loads optional native
// parts by path. The first line gives the bundled CommonJS packages a `require`.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/provision.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ssh2'],
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as provisionRequire } from 'node:module'; const require = provisionRequire(import.meta.url);" },
});
