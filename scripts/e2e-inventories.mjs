#!/usr/bin/env node
// Prints, one a line, every inventory the end-to-end tests may boot: the list their global teardown
// takes down, and the one .ci/run takes down when a timeout killed the tests before that teardown.
import { readFileSync } from 'node:fs';

const { booted, bootedByTests } = JSON.parse(readFileSync(new URL('../test/e2e/lab-inventories.json', import.meta.url), 'utf8'));
process.stdout.write([...booted, ...bootedByTests].map((inv) => `${inv}\n`).join(''));
