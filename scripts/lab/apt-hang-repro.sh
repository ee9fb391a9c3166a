#!/usr/bin/env bash
# Reproducer for the lab's apt hang (issue 9): many fresh first `apt-get update`s at once through
# an apt cache, in rounds, with a time limit per try (apt's retries off unless RETRIES says
# otherwise). Counts tries, successes, failures and hangs; on a hang it records what the host
# shows (process states from /proc, the http method's sockets, the partial files, apt's output)
# and the cache's log lines for that host, then kills the try. Bounded in tries and in time; stops
# by itself. Not run in CI.
#
# Needs lab hosts already up (provision lab up INVENTORY) and root. It writes the keepalived job's
# sources.list (bookworm, -updates, -backports, -security; main contrib non-free non-free-firmware)
# into each host and resets /var/lib/apt/lists before every try, so each try is a fresh first
# update. The hosts' own apt settings (what the lab wrote in /etc/apt/apt.conf.d) apply, except
# the proxy (PROXY) and Acquire::Retries (RETRIES).
#
# With OWN_CACHE=1 (the default) it starts its own apt-cacher-ng on PROXY's port with its own
# cache and log directories, so the lab's shared cache is untouched; COLD=1 gives that cache a
# fresh, empty cache directory every round (every round then goes to the upstream mirror).
#
#   scripts/lab/apt-hang-repro.sh                                  # 200 tries, retries off
#   FAULT=security RETRIES=host TRIES=16 LIMIT=150 scripts/lab/apt-hang-repro.sh
#       # the hang: the cache answers one repository with 503, the hosts' own retry settings;
#       # hosts booted with the lab's old settings hang every time, with the current ones never
#
# Environment:
#   HOSTS        addresses (default hg1..hg8, 198.18.2.31-38)
#   TRIES        total tries (200); LIMIT seconds per try (120); MAX_SECONDS whole run (3600)
#   PROXY        the cache (http://198.18.0.1:3143); OWN_CACHE (1); COLD (0)
#   ACNG_ARGS    extra apt-cacher-ng settings for the own cache, e.g. "NetworkTimeout=10"
#   RETRIES      Acquire::Retries for every try (0: apt's retries off; host: the host's setting)
#   FAULT        none; security: the own cache's upstream for the security archive is a closed
#                local port, so the cache answers every bookworm-security request with a 5xx
#                (what it does when its upstream fails): a transient error on one repository
#   LISTS        base: every try starts from the lists a fresh lab host has (debootstrap's
#                bookworm lists), as the keepalived job's first update does; empty: no lists
#   APT_OPTS     extra apt-get options, e.g. "-o Debug::Acquire::Retries=1"
#   OUT          evidence directory (/var/tmp/apt-hang-repro)
set -uo pipefail

HOSTS=${HOSTS:-"198.18.2.31 198.18.2.32 198.18.2.33 198.18.2.34 198.18.2.35 198.18.2.36 198.18.2.37 198.18.2.38"}
TRIES=${TRIES:-200}
LIMIT=${LIMIT:-120}
MAX_SECONDS=${MAX_SECONDS:-3600}
PROXY=${PROXY:-http://198.18.0.1:3143}
OWN_CACHE=${OWN_CACHE:-1}
COLD=${COLD:-0}
ACNG_ARGS=${ACNG_ARGS:-}
APT_OPTS=${APT_OPTS:-}
OUT=${OUT:-/var/tmp/apt-hang-repro}
LISTS=${LISTS:-base}
RETRIES=${RETRIES:-0}
FAULT=${FAULT:-none}
LAB_DIR=${PROVISION_LAB_DIR:-/var/lib/provision/lab}
BASE_DIR=${PROVISION_LAB_CACHE:-/var/cache/provision-lab}/bookworm

SSH=(ssh -i "$LAB_DIR/id_ed25519" -o UserKnownHostsFile="$LAB_DIR/known_hosts" -o StrictHostKeyChecking=yes
  -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=10 -o ServerAliveCountMax=3)

hostport=${PROXY#http://}
hostport=${hostport%/}
CACHE_ADDR=${hostport%:*}
CACHE_PORT=${hostport##*:}
case "$CACHE_ADDR" in 198.18.0.1) ;; *) echo "PROXY must be on the lab bridge (198.18.0.1)" >&2; exit 2 ;; esac

mkdir -p "$OUT"
RUN="$OUT/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"
echo "evidence in $RUN"

# --- the cache -------------------------------------------------------------------------------
acng_pid=
acng_dir=
stop_cache() {
  if [[ -n "$acng_pid" ]] && kill -0 "$acng_pid" 2>/dev/null; then
    kill "$acng_pid"
    for _ in $(seq 50); do kill -0 "$acng_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$acng_pid" 2>/dev/null && kill -9 "$acng_pid"
  fi
  acng_pid=
}
start_cache() { # $1: cache directory tag
  if ss -Hltn "sport = :$CACHE_PORT" | grep -q .; then
    echo "port $CACHE_PORT is taken (a cache left by an earlier run?): $(ss -Hltnp "sport = :$CACHE_PORT")" >&2
    exit 1
  fi
  acng_dir="$RUN/acng-$1"
  mkdir -p "$acng_dir/cache" "$acng_dir/log" "$RUN/acng-conf"
  [[ -f "$RUN/acng-conf/acng.conf" ]] || {
    cp -a /etc/apt-cacher-ng/. "$RUN/acng-conf/"
    # the lab's backend (without it apt-cacher-ng answers 503 for /debian)
    echo 'http://deb.debian.org/debian/' >"$RUN/acng-conf/backends_debian"
    if [[ "$FAULT" == security ]]; then
      # The security archive's upstream refuses connections (a closed port on this machine), so the
      # cache answers its requests with a 5xx, as it does when its upstream fails or is too slow:
      # for apt a transient error on one repository while the others answer.
      sed -i 's|^\(Remap-secdeb:[^;]*;\).*|\1 127.0.0.1:9/debian-security|' "$RUN/acng-conf/acng.conf"
    fi
  }
  # shellcheck disable=SC2086 # ACNG_ARGS is a list of Key=Value words
  setsid apt-cacher-ng -c "$RUN/acng-conf" ForeGround=1 BindAddress="$CACHE_ADDR" Port="$CACHE_PORT" \
    CacheDir="$acng_dir/cache" LogDir="$acng_dir/log" SocketPath="$acng_dir/socket" PidFile="$acng_dir/pid" \
    $ACNG_ARGS </dev/null >>"$acng_dir/stdout.log" 2>&1 &
  acng_pid=$!
  # ours must be the one listening (a leftover cache on the port would serve without our settings)
  for _ in $(seq 50); do
    kill -0 "$acng_pid" 2>/dev/null || break
    ss -Hltnp "sport = :$CACHE_PORT" | grep -q "pid=$acng_pid," && return 0
    sleep 0.1
  done
  echo "apt-cacher-ng did not start on $CACHE_ADDR:$CACHE_PORT (see $acng_dir/stdout.log)" >&2
  exit 1
}
cache_log() { # the cache's transfer log (own instance) or the lab's
  if [[ -n "$acng_dir" ]]; then echo "$acng_dir/log/apt-cacher.log"; else echo /var/log/apt-cacher-ng/apt-cacher.log; fi
}

# --- one try on one host ---------------------------------------------------------------------
# Runs inside the host: a fresh first update in its own session, watched; on a hang, the evidence.
read -r -d '' REMOTE <<'EOS'
limit=$1; proxy=$2; lists=$3; retries=$4; shift 4
[ "$retries" = host ] || set -- -o Acquire::Retries="$retries" "$@"
pkill -x apt-get 2>/dev/null; sleep 0.2
rm -rf /var/lib/apt/lists
if [ "$lists" = base ]; then cp -a /var/tmp/repro-base-lists /var/lib/apt/lists; else mkdir -p /var/lib/apt/lists/partial; fi
start=$(date +%s)
setsid apt-get update -q -o Acquire::http::Proxy="$proxy" "$@" >/tmp/repro-apt.log 2>&1 </dev/null &
pid=$!
while kill -0 $pid 2>/dev/null && [ $(( $(date +%s) - start )) -lt "$limit" ]; do sleep 0.25; done
if kill -0 $pid 2>/dev/null; then
  echo "RESULT hang $(( $(date +%s) - start ))"
  echo "== processes (session $pid): pid ppid state wchan args"
  for p in $(ps -s $pid -o pid=); do
    printf '%s %s %s %s %s\n' "$p" "$(awk '{print $4}' /proc/$p/stat)" "$(awk '/^State/{print $2$3}' /proc/$p/status)" \
      "$(cat /proc/$p/wchan 2>/dev/null)" "$(tr '\0' ' ' </proc/$p/cmdline)"
    echo "   fds: $(ls -l /proc/$p/fd 2>/dev/null | awk 'NR>1{print $9"->"$11}' | tr '\n' ' ')"
  done
  echo "== ss -tnp"; ss -tnp
  echo "== partial"; ls -la --time-style=+%T /var/lib/apt/lists/partial
  echo "== lists"; ls -la --time-style=+%T /var/lib/apt/lists
  echo "== apt output (last 15 lines)"; tail -n 15 /tmp/repro-apt.log
  kill -9 -- -$pid 2>/dev/null
  exit 0
fi
wait $pid; rc=$?
echo "RESULT $([ $rc = 0 ] && echo ok || echo failed) $(( $(date +%s) - start )) rc=$rc fetch_errors=$(grep -c '^Err:' /tmp/repro-apt.log)"
[ $rc = 0 ] || tail -n 8 /tmp/repro-apt.log
grep -E '^(E|W): ' /tmp/repro-apt.log | head -5
EOS

try_host() { # $1 address, $2 try number, $3 file for its output
  local start end
  start=$(date +%s)
  # shellcheck disable=SC2086 # APT_OPTS is a list of -o words
  timeout $((LIMIT + 60)) "${SSH[@]}" "root@$1" bash -s -- "$LIMIT" "$PROXY" "$LISTS" "$RETRIES" $APT_OPTS <<<"$REMOTE" >"$3" 2>&1
  end=$(date +%s)
  grep -q '^RESULT' "$3" || echo "RESULT error $((end - start)) (no answer from the host)" >>"$3"
  if grep -q '^RESULT hang' "$3"; then
    {
      echo "== cache log lines for $1 during the try ($(cache_log))"
      awk -F'|' -v a="$1" -v s="$start" -v e="$end" '$4==a && $1>=s-1 && $1<=e' "$(cache_log)" | tail -n 20
      echo "== cache stdout (last 10 lines)"
      [[ -n "$acng_dir" ]] && tail -n 10 "$acng_dir/stdout.log"
    } >>"$3"
  fi
}

# --- setup -----------------------------------------------------------------------------------
SOURCES='deb http://deb.debian.org/debian bookworm main contrib non-free non-free-firmware
deb http://deb.debian.org/debian bookworm-updates main contrib non-free non-free-firmware
deb http://deb.debian.org/debian bookworm-backports main contrib non-free non-free-firmware
deb http://deb.debian.org/debian-security bookworm-security main contrib non-free non-free-firmware'
for h in $HOSTS; do
  "${SSH[@]}" "root@$h" 'cat >/etc/apt/sources.list' <<<"$SOURCES" || { echo "host $h does not answer" >&2; exit 1; }
  # the lists a fresh host has (debootstrap's, from the lab's base), for LISTS=base
  tar -C "$BASE_DIR/var/lib/apt" -c lists | "${SSH[@]}" "root@$h" \
    'rm -rf /var/tmp/repro-base-lists.d && mkdir -p /var/tmp/repro-base-lists.d && tar -C /var/tmp/repro-base-lists.d -x &&
     rm -rf /var/tmp/repro-base-lists && mv /var/tmp/repro-base-lists.d/lists /var/tmp/repro-base-lists' || exit 1
done
echo "hosts' apt settings (from $(set -- $HOSTS; echo "$1")):"
"${SSH[@]}" "root@$(set -- $HOSTS; echo "$1")" 'cat /etc/apt/apt.conf.d/00lab* 2>/dev/null' | sed 's/^/  /' | tee "$RUN/apt-settings.txt"
trap 'stop_cache; exit 130' INT TERM
[[ "$OWN_CACHE" == 1 ]] && start_cache warm

n_hosts=$(wc -w <<<"$HOSTS")
echo "tries=$TRIES concurrency=$n_hosts limit=${LIMIT}s cold=$COLD lists=$LISTS retries=$RETRIES fault=$FAULT own_cache=$OWN_CACHE proxy=$PROXY acng_args='$ACNG_ARGS' apt_opts='$APT_OPTS'" | tee "$RUN/params.txt"

# --- rounds ----------------------------------------------------------------------------------
tries=0 ok=0 ok_errs=0 failed=0 hung=0 errors=0 round=0
t0=$(date +%s)
while ((tries < TRIES)) && (($(date +%s) - t0 < MAX_SECONDS)); do
  round=$((round + 1))
  if [[ "$OWN_CACHE" == 1 && "$COLD" == 1 ]]; then
    stop_cache
    rm -rf "$acng_dir"
    start_cache "r$round"
  fi
  pids=()
  files=()
  for h in $HOSTS; do
    ((tries < TRIES)) || break
    tries=$((tries + 1))
    f="$RUN/try-$(printf %04d $tries)-$h.txt"
    files+=("$f")
    try_host "$h" "$tries" "$f" &
    pids+=($!)
  done
  wait "${pids[@]}"
  line="round $round:"
  for f in "${files[@]}"; do
    r=$(awk '/^RESULT/{print $2; exit}' "$f")
    secs=$(awk '/^RESULT/{print $3; exit}' "$f")
    case "$r" in
      ok)
        ok=$((ok + 1))
        # apt-get update exits 0 when an index failed (it warns): count those apart
        grep -q 'fetch_errors=[1-9]' "$f" && ok_errs=$((ok_errs + 1)) && r=ok-with-fetch-errors
        rm -f "$f"
        ;;
      failed) failed=$((failed + 1)) ;;
      hang) hung=$((hung + 1)); echo "HANG: $f" ;;
      *) errors=$((errors + 1)) ;;
    esac
    line+=" $r/${secs}s"
  done
  echo "$line"
done
stop_cache
summary="tries=$tries ok=$ok (of which with fetch errors: $ok_errs) failed=$failed hung=$hung errors=$errors rounds=$round concurrency=$n_hosts cold=$COLD lists=$LISTS retries=$RETRIES fault=$FAULT seconds=$(($(date +%s) - t0))"
echo "$summary" | tee "$RUN/summary.txt"
((hung == 0))
