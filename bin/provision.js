#!/usr/bin/env node
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// The bundled CLI (scripts/bundle.mjs, part of `npm run build`) is one script to load instead of a
// few hundred modules. A `tsc` run alone leaves it older than dist/cli.js: then the fresh unbundled
// code runs.
const bundle = fileURLToPath(new URL('../dist/provision.cjs', import.meta.url));
const unbundled = new URL('../dist/cli.js', import.meta.url);
const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const { main } = mtime(bundle) >= mtime(unbundled.pathname) ? loadWithCodeCache(bundle) : await import(unbundled.href);

// Until main settles, an exit (say, an event loop left with nothing to wait for) is a failure.
process.exitCode = 1;
main(process.argv).then((code) => {
  process.exitCode = code;
});

/**
 * Compiles the bundle with V8's code cache kept beside it (`.cache`): compiling 3 MB of script is a
 * good part of every start. The cache is made at the end of a run that found none (or one V8
 * rejected: another Node, other flags), so it holds the functions a whole run compiled, not only
 * the start-up's. It is only a speed-up: where it cannot be written, provision runs without it.
 */
function loadWithCodeCache(file) {
  const cacheFile = `${file}.cache`;
  const cachedData = readIfThere(cacheFile);
  // CommonJS's own wrapper, so the bundle sees the names a required file sees.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCodeCache(script, cacheFile));
  return module.exports;
}

function readIfThere(path) {
  try {
    return readFileSync(path);
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
}

function saveCodeCache(script, cacheFile) {
  // Written aside and renamed: two runs ending at once never leave half a cache.
  const aside = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(aside, script.createCachedData());
    renameSync(aside, cacheFile);
  } catch (err) {
    // An install whose dist/ this user cannot write (a system-wide one) runs without a cache.
    if (err.code !== 'EACCES' && err.code !== 'EPERM' && err.code !== 'EROFS') throw err;
  }
}
