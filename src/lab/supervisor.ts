/**
 * A lab host reboots as a real one does. A guest's `reboot` makes systemd-nspawn exit with 133
 * (it cannot restart itself), so each host runs under this small shell loop, which starts nspawn
 * again on 133 and ends on any other exit. SIGTERM is passed on to nspawn (an orderly shutdown
 * of the container) and ends the loop. A bastion's second veth is made anew by each nspawn: the
 * loop puts it back on the hidden bridge after a reboot (the first boot is attached by labUp).
 */
export const SUPERVISOR_SCRIPT = [
  'stop=0; child=; first=1',
  `trap 'stop=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT HUP`,
  'while :; do',
  '  systemd-nspawn "$@" & child=$!',
  '  if [ "$first" = 0 ] && [ -n "$LAB_HIDDEN_LINK" ]; then',
  '    i=0; while [ "$i" -lt 100 ]; do ip link set "$LAB_HIDDEN_LINK" master "$LAB_HIDDEN_BRIDGE" up 2>/dev/null && break; i=$((i+1)); sleep 0.1; done',
  '  fi',
  '  first=0',
  '  while :; do wait "$child"; rc=$?; kill -0 "$child" 2>/dev/null || break; done',
  '  [ "$stop" = 0 ] && [ "$rc" = 133 ] || exit "$rc"',
  '  echo "lab: the guest rebooted (systemd-nspawn exit 133): booting it again" >&2',
  'done',
].join('\n');

/** The exit status with which systemd-nspawn says that the container asked for a reboot. */
export const NSPAWN_REBOOT_EXIT = 133;

/** argv of the supervised nspawn: `sh -c SCRIPT lab-host NSPAWN-ARGS...` ($0 is "lab-host"). */
export function supervisedArgs(nspawnArgs: string[]): string[] {
  return ['-c', SUPERVISOR_SCRIPT, 'lab-host', ...nspawnArgs];
}
