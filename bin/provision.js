#!/usr/bin/env node
import { statSync } from 'node:fs';

// The bundled CLI (scripts/bundle.mjs, part of `npm run build`) is one module to load instead of a few
// hundred. A `tsc` run alone leaves it older than dist/cli.js: then the fresh unbundled code runs.
const bundle = new URL('../dist/provision.mjs', import.meta.url);
const unbundled = new URL('../dist/cli.js', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const { main } = await import(mtime(bundle) >= mtime(unbundled) ? bundle.href : unbundled.href);

// Until main settles, an exit (say, an event loop left with nothing to wait for) is a failure.
process.exitCode = 1;
main(process.argv).then((code) => {
  process.exitCode = code;
});
