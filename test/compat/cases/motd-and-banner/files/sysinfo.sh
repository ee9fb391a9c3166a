#!/bin/sh
# Print a short summary of this host at login.
echo "host:   $(hostname)"
echo "uptime: $(uptime -p 2>/dev/null || uptime)"
df -h / | tail -n 1
