#!/usr/bin/env bash
# Measures the template engine candidates on the conformance set and rewrites
# test/template-conformance/RESULTS.md (recordings must be current: see record-template-conformance.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
npx vitest run --config test/template-conformance/vitest.results.config.ts
