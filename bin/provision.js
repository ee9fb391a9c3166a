#!/usr/bin/env node
import { main } from '../dist/cli.js';

// Until main settles, an exit (say, an event loop left with nothing to wait for) is a failure.
process.exitCode = 1;
main(process.argv).then((code) => {
  process.exitCode = code;
});
