#!/usr/bin/env bash
# From a fresh clone to the tutorial's HA cluster on this machine: set up, boot three Debian
# hosts, provision them, and run the failover test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/provision.js lint inventory/lab.yaml
node bin/provision.js lab up inventory/lab.yaml
node bin/provision.js up inventory/lab.yaml
node bin/provision.js verify inventory/lab.yaml
