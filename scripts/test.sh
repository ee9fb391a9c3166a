#!/usr/bin/env bash
# The whole suite: type check, unit tests, then end-to-end tests on a lab this run boots and
# tears down (needs root and the packages scripts/setup.sh installs).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run lint
npm run build
npx tsc -p tsconfig.test.json
npx vitest run "$@"
