#!/usr/bin/env bash
# Installs what provision and its lab need on a Debian controller, then the npm packages
# (npm ci also compiles the TypeScript). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the HTML report's browser test drives Debian's build (playwright cannot download its own here).
DEBIAN_PACKAGES=(debootstrap systemd-container openssh-client openssh-server apt-cacher-ng iproute2 curl ca-certificates time ansible-core chromium)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: installing ${missing[*]} needs root (run with sudo)" >&2; exit 1; fi
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm run build
