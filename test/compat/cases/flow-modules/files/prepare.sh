#!/bin/sh
# Prepares the directory the status service serves; run once (creates guards it).
set -e
dir="$1"
mkdir -p "$dir"
printf '{"state": "prepared", "by": "%s"}\n' "$(basename "$0")" > "$dir/status.json"
touch "$dir/prepared"
echo "prepared $dir"
