#!/usr/bin/env bash
# proxy-pair.sh: the proxy pair against the kernel's own TCP and MPTCP, between two network
# namespaces joined by two unshaped veth pairs (the CPU is the only limit), all in one run.
#
#   client namespace  <== path 1: 10.200.1.1 <-> 10.200.1.2 ==>  server namespace
#                     <== path 2: 10.200.2.1 <-> 10.200.2.2 ==>
#
# Cases (iperf3 client in the client namespace, iperf3 server in the server namespace):
#   tcp              kernel TCP over path 1
#   mptcp            kernel MPTCP over both paths (iperf3 under mptcpize; the server announces path 2)
#   proxy-tls        iperf3 -> local proxy -> both paths, TLS 1.3 -> remote proxy -> iperf3 on the
#                    server's loopback: 'progmp proxy local|remote' with keys, as users run them
#   proxy-plaintext  the same pair unencrypted, run by benchmarks/ProgMp.Proxy.PlaintextHost (the
#                    shipped command refuses plaintext off loopback; see benchmarks/README.md)
# Every repeat runs the cases in this order, so that load from other work falls on all of them.
# Each proxy run starts a fresh pair, carries WARMUP s of traffic that is not counted, then measures.
# Printed per run and as medians: iperf3's receiver throughput, each proxy run's ratio to the kernel
# MPTCP run of the same repeat, CPU seconds per GB carried by both proxy processes together (utime +
# stime from /proc/PID/stat around the measured transfer), and the share of bytes on path 1.
#
# Usage (as root, from anywhere):   benchmarks/netns/proxy-pair.sh
# Environment (defaults):
#   DURATION=5 REPEATS=3 WARMUP=3     seconds per measured run, runs per case, uncounted seconds
#   CASES="tcp mptcp proxy-tls proxy-plaintext"
#   BUILD=1                           0: use the Release build already there
#   PROFILE=                          "plaintext", "tls" or both: after the cases, record the pair
#                                     under load with perf (DURATION s) and summarise it;
#                                     dotnet-counters too, when it is on PATH
#   PROFILE_WARMUP=10                 uncounted seconds before the profile, so the JIT is done
#   OUT=                              a directory for the iperf3 JSON, the proxies' logs and the
#                                     profiles (kept); default: a temporary one, removed at the end
#   NS_PREFIX=pmb                     the namespaces are $NS_PREFIX-cli and $NS_PREFIX-srv
# Exit codes: 0 done, 1 a run failed (the reason on standard error), 2 cannot run here (one line).
set -euo pipefail

DURATION=${DURATION:-5}
REPEATS=${REPEATS:-3}
WARMUP=${WARMUP:-3}
CASES=${CASES-"tcp mptcp proxy-tls proxy-plaintext"}
BUILD=${BUILD:-1}
PROFILE=${PROFILE:-}
PROFILE_WARMUP=${PROFILE_WARMUP:-10}
OUT=${OUT:-}
NS_PREFIX=${NS_PREFIX:-pmb}
CLI_NS="$NS_PREFIX-cli"
SRV_NS="$NS_PREFIX-srv"
HERE=${BASH_SOURCE[0]%/*}
[[ $HERE == "${BASH_SOURCE[0]}" ]] && HERE=.
ROOT=$(cd "$HERE/../.." && pwd)
PROGMP="$ROOT/src/Cli/bin/Release/net10.0/progmp.dll"
PLAINTEXT_HOST="$ROOT/benchmarks/ProgMp.Proxy.PlaintextHost/bin/Release/net10.0/ProgMp.Proxy.PlaintextHost.dll"
SUMMARY="$ROOT/benchmarks/netns/profile-summary.py"
IPERF_PORT=5201
FORWARD_PORT=6000
PROXY_PORT=7000
START_LIMIT=60                        # s for a process to say it is ready (a busy machine starts .NET slowly)
PROCESS_LIMIT=$(( (DURATION + WARMUP + 30) * 2 ))   # s any process of one run may live

STARTED=()        # PIDs of the timeout wrappers of the processes this script started
CREATED_NS=0
KEEP_OUT=1

cannot_run() { echo "proxy-pair: $*" >&2; exit 2; }
die() { echo "proxy-pair: $*" >&2; exit 1; }

check_prerequisites() {
    [[ $EUID -eq 0 ]] || cannot_run "needs root: it makes network namespaces (run it with sudo)"
    local tool
    for tool in iperf3 mptcpize ip ss timeout pgrep python3 dotnet; do
        command -v "$tool" >/dev/null || cannot_run "'$tool' is missing (apt-get install iperf3 mptcpd iproute2 procps python3; dotnet from the SDK)"
    done
    if [[ -n $PROFILE ]]; then
        command -v perf >/dev/null || cannot_run "PROFILE needs perf (apt-get install linux-perf)"
    fi
    [[ $(sysctl -n net.mptcp.enabled 2>/dev/null || echo 0) == 1 ]] || cannot_run "the kernel's MPTCP is off or absent (sysctl net.mptcp.enabled=1)"
    local n
    for n in DURATION REPEATS WARMUP PROFILE_WARMUP; do
        [[ ${!n} =~ ^[1-9][0-9]*$ ]] || cannot_run "$n='${!n}' is not a whole number of at least 1"
    done
    local c
    for c in $CASES; do
        [[ $c =~ ^(tcp|mptcp|proxy-tls|proxy-plaintext)$ ]] || cannot_run "unknown case '$c' (tcp, mptcp, proxy-tls, proxy-plaintext)"
    done
    for c in $PROFILE; do
        [[ $c =~ ^(plaintext|tls)$ ]] || cannot_run "PROFILE='$PROFILE': name plaintext, tls or both"
    done
    if ip netns list | awk '{print $1}' | grep -qxE "$CLI_NS|$SRV_NS"; then
        cannot_run "namespace $CLI_NS or $SRV_NS exists: another run, or one that was killed (ip netns del $CLI_NS; ip netns del $SRV_NS), or set NS_PREFIX"
    fi
}

build() {
    if [[ $BUILD == 1 ]]; then
        echo "# building (Release): src/Cli, benchmarks/ProgMp.Proxy.PlaintextHost" >&2
        (cd "$ROOT" && nice -n 10 dotnet build -c Release -nologo -v q src/Cli >/dev/null \
            && nice -n 10 dotnet build -c Release -nologo -v q benchmarks/ProgMp.Proxy.PlaintextHost >/dev/null) \
            || die "the Release build failed (run: dotnet build -c Release src/Cli)"
    fi
    [[ -f $PROGMP && -f $PLAINTEXT_HOST ]] || die "no Release build at $PROGMP or $PLAINTEXT_HOST (BUILD=1 builds it)"
}

# Kills what this script started: the timeout wrapper (which passes TERM on), then, after 10 s,
# whatever is left of it by KILL; reaps each.
stop_started() {   # stop_started PID...
    local pid child i
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for (( i = 0; i < 100; i++ )); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            for child in $(pgrep -P "$pid" || true); do kill -KILL "$child" 2>/dev/null || true; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    forget "$@"
}

forget() {   # forget PID...: no longer ours to stop (it ended and was reaped)
    local left=() pid
    for pid in "${STARTED[@]}"; do
        [[ " $* " == *" $pid "* ]] || left+=("$pid")
    done
    STARTED=("${left[@]}")
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    (( ${#STARTED[@]} == 0 )) || stop_started "${STARTED[@]}"
    if (( CREATED_NS )); then
        ip netns del "$CLI_NS" 2>/dev/null || true
        ip netns del "$SRV_NS" 2>/dev/null || true
    fi
    # The perf maps the proxies wrote when profiled.
    [[ -n ${PERF_MAPS:-} ]] && rm -f $PERF_MAPS
    if (( ! KEEP_OUT )); then rm -rf "$OUT"; fi
    exit "$status"
}

# The last PID started in the background, as a string (so callers can take it by command substitution).
start_in() {   # start_in NS NAME ENV... -- CMD...: bounded by timeout, output in $OUT/NAME.out/.err
    local ns=$1 name=$2
    shift 2
    local env=()
    while [[ $1 != -- ]]; do env+=("$1"); shift; done
    shift
    timeout -k 5 "$PROCESS_LIMIT" ip netns exec "$ns" env "${env[@]}" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
    STARTED+=("$!")
    LAST_STARTED=$!
}

wait_for() {   # wait_for WHAT SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds
    local what=$1 limit=$2 i
    shift 2
    for (( i = 0; i < limit * 10; i++ )); do
        "$@" && return 0
        sleep 0.1
    done
    die "$what: not after $limit s"
}

listening_in() { ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }
said() { grep -q "$2" "$OUT/$1" 2>/dev/null; }
established_subflows() { (( $(grep -c 'subflow .* established' "$OUT/$1" 2>/dev/null || true) >= $2 )); }
process_of() { pgrep -P "$1" | head -n 1; }   # the process a timeout wrapper runs
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tx_bytes() { ip netns exec "$CLI_NS" cat "/sys/class/net/$1/statistics/tx_bytes"; }

make_namespaces() {
    ip netns add "$CLI_NS"
    CREATED_NS=1
    ip netns add "$SRV_NS"
    local ns i
    for ns in "$CLI_NS" "$SRV_NS"; do
        ip -n "$ns" link set lo up
        ip netns exec "$ns" sysctl -qw net.mptcp.enabled=1
        # Subflows leave by the path they are bound to; no cached metrics between runs.
        ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
        ip netns exec "$ns" sysctl -qw net.ipv4.tcp_no_metrics_save=1
    done
    for i in 1 2; do
        ip -n "$CLI_NS" link add "pmb$i" type veth peer name "pmb$i" netns "$SRV_NS"
        ip -n "$CLI_NS" addr add "10.200.$i.1/24" dev "pmb$i"
        ip -n "$SRV_NS" addr add "10.200.$i.2/24" dev "pmb$i"
        ip -n "$CLI_NS" link set "pmb$i" up
        ip -n "$SRV_NS" link set "pmb$i" up
    done
    # A veth end just set up reports "down" for up to about a second and drops what it is given.
    both_up() {
        local n d
        for n in "$CLI_NS" "$SRV_NS"; do
            for d in pmb1 pmb2; do ip -n "$n" -br link show dev "$d" | grep -qw UP || return 1; done
        done
    }
    wait_for "the veth paths up" 10 both_up
    # Kernel MPTCP: the server announces path 2's address; the client accepts it and opens a subflow
    # there, which routing sends out of pmb2.
    ip -n "$SRV_NS" mptcp limits set subflows 1 add_addr_accepted 0
    ip -n "$CLI_NS" mptcp limits set subflows 1 add_addr_accepted 1
    ip -n "$SRV_NS" mptcp endpoint add 10.200.2.2 dev pmb2 signal
}

make_keys() {
    # A kept OUT from an earlier run: new keys for this one ('key create' never replaces a file).
    rm -f "$OUT/remote.key" "$OUT/local.key"
    dotnet "$PROGMP" key create "$OUT/remote.key" --name bench-remote >"$OUT/remote.key.txt"
    dotnet "$PROGMP" key create "$OUT/local.key" --name bench-local >"$OUT/local.key.txt"
    REMOTE_ID=$(sed -n 's/^public id: *//p' "$OUT/remote.key.txt")
    sed -n 's/^public id: *//p' "$OUT/local.key.txt" >"$OUT/authorized-clients"
    [[ -n $REMOTE_ID && -s $OUT/authorized-clients ]] || die "could not read the public ids 'progmp key create' printed"
}

# Runs iperf3 as a waited-for background job (so INT/TERM reach cleanup at once) into $OUT/NAME.json.
iperf_client() {   # iperf_client NAME SECONDS [WRAPPER...] -- IPERF3-ARGS...
    local name=$1 seconds=$2
    shift 2
    local wrapper=()
    while [[ $1 != -- ]]; do wrapper+=("$1"); shift; done
    shift
    timeout -k 5 $(( seconds + 30 )) ip netns exec "$CLI_NS" "${wrapper[@]}" iperf3 -t "$seconds" -J "$@" >"$OUT/$name.json" 2>"$OUT/$name.err" &
    local pid=$!
    STARTED+=("$pid")
    local status=0
    wait "$pid" || status=$?
    forget "$pid"
    (( status == 0 )) || die "iperf3 for $name failed ($status): $(head -c 300 "$OUT/$name.json" "$OUT/$name.err" | tr '\n' ' ')"
}

received() {   # received NAME: "bits_per_second bytes" of iperf3's receiver
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["end"]["sum_received"]; print(int(s["bits_per_second"]), int(s["bytes"]))' "$OUT/$1.json"
}

start_iperf_server() {   # start_iperf_server [WRAPPER...]
    start_in "$SRV_NS" iperf-server -- "$@" iperf3 -s -p "$IPERF_PORT"
    IPERF_SERVER=$LAST_STARTED
    wait_for "iperf3 -s listening" "$START_LIMIT" listening_in "$SRV_NS" "$IPERF_PORT"
}

stop_iperf_server() { stop_started "$IPERF_SERVER"; }

# After the warm-up: a new server, so the measured run never meets one still busy with the warm-up's
# test, and whatever the proxies were still relaying for it has been reset before counting starts.
warm_up() {   # warm_up NAME
    iperf_client "$1-warmup" "$WARMUP" -- -c 127.0.0.1 -p "$FORWARD_PORT"
    stop_iperf_server
    start_iperf_server
}

# One kernel run; sets MBIT and SHARE (the percentage of the client's bytes sent on path 1).
kernel_run() {   # kernel_run CASE REPEAT
    local case=$1 r=$2 wrapper=() args=(-c 10.200.1.2 -p "$IPERF_PORT")
    if [[ $case == mptcp ]]; then wrapper=(mptcpize run); else args+=(-B 10.200.1.1); fi
    start_iperf_server "${wrapper[@]}"
    local p1 p2
    p1=$(tx_bytes pmb1); p2=$(tx_bytes pmb2)
    iperf_client "$case-$r" "$DURATION" "${wrapper[@]}" -- "${args[@]}"
    p1=$(( $(tx_bytes pmb1) - p1 )); p2=$(( $(tx_bytes pmb2) - p2 ))
    stop_iperf_server
    local bps bytes
    read -r bps bytes < <(received "$case-$r")
    MBIT=$(( bps / 1000000 ))
    SHARE=$(( 100 * p1 / (p1 + p2) ))
}

# Starts the pair for SECURITY (tls or plaintext) with ENV... in each proxy's environment; sets
# REMOTE_WRAPPER/LOCAL_WRAPPER (timeout PIDs) and REMOTE_PID/LOCAL_PID (the proxy processes).
start_pair() {   # start_pair SECURITY NAME ENV...
    local security=$1 name=$2
    shift 2
    local listen=(--listen "10.200.1.2:$PROXY_PORT" --listen "10.200.2.2:$PROXY_PORT")
    local paths=(--path "10.200.1.1@10.200.1.2:$PROXY_PORT" --path "10.200.2.1@10.200.2.2:$PROXY_PORT")
    local forward=(--forward "127.0.0.1:$FORWARD_PORT=127.0.0.1:$IPERF_PORT")
    if [[ $security == tls ]]; then
        start_in "$SRV_NS" "$name-remote" "$@" -- dotnet "$PROGMP" proxy remote "${listen[@]}" \
            --key "$OUT/remote.key" --authorized-clients "$OUT/authorized-clients"
    else
        start_in "$SRV_NS" "$name-remote" "$@" -- dotnet "$PLAINTEXT_HOST" remote "${listen[@]}"
    fi
    REMOTE_WRAPPER=$LAST_STARTED
    wait_for "the remote proxy ($name) ready" "$START_LIMIT" said "$name-remote.out" '^listening on'
    if [[ $security == tls ]]; then
        start_in "$CLI_NS" "$name-local" "$@" -- dotnet "$PROGMP" proxy local "${paths[@]}" "${forward[@]}" \
            --key "$OUT/local.key" --remote-id "$REMOTE_ID"
    else
        start_in "$CLI_NS" "$name-local" "$@" -- dotnet "$PLAINTEXT_HOST" local "${paths[@]}" "${forward[@]}"
    fi
    LOCAL_WRAPPER=$LAST_STARTED
    wait_for "the local proxy ($name) ready" "$START_LIMIT" said "$name-local.out" '^listening on'
    wait_for "both subflows of the local proxy ($name)" "$START_LIMIT" established_subflows "$name-local.err" 2
    REMOTE_PID=$(process_of "$REMOTE_WRAPPER")
    LOCAL_PID=$(process_of "$LOCAL_WRAPPER")
    [[ -n $REMOTE_PID && -n $LOCAL_PID ]] || die "the proxies ($name) are not running: see $OUT/$name-*.err"
}

# One proxy run; sets MBIT, SHARE, CPU_PER_GB (both proxies), LOCAL_CPU and REMOTE_CPU (seconds).
proxy_run() {   # proxy_run CASE REPEAT
    local case=$1 r=$2 name="$1-$2"
    start_iperf_server
    start_pair "${case#proxy-}" "$name"
    warm_up "$name"
    local l0 r0 p1 p2
    l0=$(cpu_ticks "$LOCAL_PID"); r0=$(cpu_ticks "$REMOTE_PID")
    p1=$(tx_bytes pmb1); p2=$(tx_bytes pmb2)
    iperf_client "$name" "$DURATION" -- -c 127.0.0.1 -p "$FORWARD_PORT"
    local l1 r1
    l1=$(cpu_ticks "$LOCAL_PID"); r1=$(cpu_ticks "$REMOTE_PID")
    p1=$(( $(tx_bytes pmb1) - p1 )); p2=$(( $(tx_bytes pmb2) - p2 ))
    stop_started "$LOCAL_WRAPPER" "$REMOTE_WRAPPER"
    stop_iperf_server
    local bps bytes
    read -r bps bytes < <(received "$name")
    read -r MBIT CPU_PER_GB SHARE LOCAL_CPU REMOTE_CPU < <(awk -v bps="$bps" -v bytes="$bytes" -v l=$(( l1 - l0 )) -v rr=$(( r1 - r0 )) \
        -v hz="$(getconf CLK_TCK)" -v p1="$p1" -v p2="$p2" \
        'BEGIN { printf "%d %.2f %d %.2f %.2f\n", bps / 1e6, (l + rr) / hz / (bytes / 1e9), 100 * p1 / (p1 + p2), l / hz, rr / hz }')
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

profile() {   # profile SECURITY: perf (and dotnet-counters, when there) over both proxies under load
    local security=$1 name="profile-$1"
    start_iperf_server
    # A perf map names the JIT-compiled methods; with W^X on, JIT code runs from a memfd mapping that
    # perf cannot match with the map.
    start_pair "$security" "$name" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
    PERF_MAPS="${PERF_MAPS:-} /tmp/perf-$LOCAL_PID.map /tmp/perf-$REMOTE_PID.map /tmp/perfinfo-$LOCAL_PID.map /tmp/perfinfo-$REMOTE_PID.map"
    WARMUP=$PROFILE_WARMUP warm_up "$name"
    # One transfer, a little longer than the recorders: perf first, then dotnet-counters (when on
    # PATH) in a window of its own, as attaching it makes the runtime compile its metrics code.
    local counters
    counters=$(command -v dotnet-counters || true)
    local seconds=$(( DURATION + 3 ))
    [[ -n $counters ]] && seconds=$(( 2 * DURATION + 4 ))
    timeout -k 5 $(( seconds + 40 )) ip netns exec "$CLI_NS" iperf3 -t "$seconds" -J -c 127.0.0.1 -p "$FORWARD_PORT" >"$OUT/$name.json" 2>"$OUT/$name.err" &
    local client=$!
    STARTED+=("$client")
    sleep 1
    local recorders=()
    timeout -k 5 $(( DURATION + 30 )) perf record -q -F 999 -g -p "$LOCAL_PID,$REMOTE_PID" -o "$OUT/$name.perf.data" -- sleep "$DURATION" >/dev/null 2>"$OUT/$name.perf.err" &
    recorders+=($!)
    STARTED+=("$!")
    timeout -k 5 $(( DURATION + 30 )) perf stat -e task-clock,context-switches,cpu-migrations -p "$LOCAL_PID,$REMOTE_PID" -o "$OUT/$name.stat.txt" -- sleep "$DURATION" >/dev/null 2>&1 &
    recorders+=($!)
    STARTED+=("$!")
    local recorder
    for recorder in "${recorders[@]}"; do
        wait "$recorder" || die "profiling failed: see $OUT/$name.*"
        forget "$recorder"
    done
    if [[ -n $counters ]]; then
        local side pid
        recorders=()
        for side in local remote; do
            [[ $side == local ]] && pid=$LOCAL_PID || pid=$REMOTE_PID
            timeout -k 5 $(( DURATION + 30 )) "$counters" collect -p "$pid" --counters System.Runtime --format csv \
                --duration "00:00:00:$(printf %02d "$DURATION")" -o "$OUT/$name-$side.counters.csv" >/dev/null 2>&1 &
            recorders+=($!)
            STARTED+=("$!")
        done
        for recorder in "${recorders[@]}"; do
            wait "$recorder" || die "dotnet-counters failed: see $OUT/$name-*.counters.csv"
            forget "$recorder"
        done
    fi
    wait "$client" || die "iperf3 under the profile failed: $(head -c 300 "$OUT/$name.json" "$OUT/$name.err" | tr '\n' ' ')"
    forget "$client"
    # Read the profile while the perf maps are there: they name the JIT-compiled methods.
    perf script -i "$OUT/$name.perf.data" -F comm,pid,tid,ip,sym,dso 2>/dev/null >"$OUT/$name.samples.txt" || true
    (( KEEP_OUT )) && cp /tmp/perf-"$LOCAL_PID".map /tmp/perf-"$REMOTE_PID".map "$OUT/" 2>/dev/null
    stop_started "$LOCAL_WRAPPER" "$REMOTE_WRAPPER"
    stop_iperf_server
    local bps bytes
    read -r bps bytes < <(received "$name")
    echo
    echo "## profile: proxy-$security, $(( bps / 1000000 )) Mbit/s over the profiled transfer (local proxy pid $LOCAL_PID, remote $REMOTE_PID)"
    echo
    grep -E 'task-clock|context-switches|cpu-migrations|seconds time elapsed' "$OUT/$name.stat.txt" | sed 's/^ */    /'
    if [[ -n $counters ]]; then
        for side in local remote; do
            echo
            echo "$side proxy (dotnet-counters, System.Runtime; rates: the mean over ${DURATION} s):"
            awk -F, 'NR > 1 && $3 ~ /gc.collections|total_allocated|gc.pause.time|lock_contentions|work_item.count|thread.count|jit.compilation.time|cpu.time/ {
                    sum[$3] += $5; n[$3]++ }
                END { for (k in sum) printf "    %-70s %14.4g\n", k, sum[k] / n[k] }' "$OUT/$name-$side.counters.csv" | sort
        done
    fi
    python3 "$SUMMARY" "$OUT/$name.samples.txt" "$LOCAL_PID" "$REMOTE_PID"
}

main() {
    check_prerequisites
    if [[ -z $OUT ]]; then
        OUT=$(mktemp -d /tmp/progmp-netns.XXXXXX)
        KEEP_OUT=0
    else
        mkdir -p "$OUT"
    fi
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    build
    make_namespaces
    make_keys
    echo "# proxy-pair $(date -u +%Y-%m-%dT%H:%M:%SZ) kernel=$(uname -r) nproc=$(nproc) $(git -C "$ROOT" log -1 --format='commit=%h' 2>/dev/null)"
    echo "# duration=${DURATION}s warmup=${WARMUP}s repeats=$REPEATS cc=$(ip netns exec "$CLI_NS" sysctl -n net.ipv4.tcp_congestion_control)" \
         "iperf3=$(iperf3 --version | awk 'NR==1 { print $2 }') load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    declare -A runs cpu share ratio
    local r case
    for (( r = 1; r <= REPEATS; r++ )); do
        local mptcp_now=
        for case in $CASES; do
            if [[ $case == tcp || $case == mptcp ]]; then
                kernel_run "$case" "$r"
                [[ $case == mptcp ]] && mptcp_now=$MBIT
                printf 'run %d/%d  %-16s %6d Mbit/s  path 1: %3d %%\n' "$r" "$REPEATS" "$case" "$MBIT" "$SHARE"
            else
                proxy_run "$case" "$r"
                local rat=-
                if [[ -n $mptcp_now ]]; then
                    rat=$(awk -v a="$MBIT" -v b="$mptcp_now" 'BEGIN { printf "%.3f", a / b }')
                    ratio[$case]+=" $rat"
                fi
                cpu[$case]+=" $CPU_PER_GB"
                printf 'run %d/%d  %-16s %6d Mbit/s  path 1: %3d %%  %s of mptcp  %s CPU-s/GB (local %s s, remote %s s)\n' \
                    "$r" "$REPEATS" "$case" "$MBIT" "$SHARE" "$rat" "$CPU_PER_GB" "$LOCAL_CPU" "$REMOTE_CPU"
            fi
            runs[$case]+=" $MBIT"
            share[$case]+=" $SHARE"
        done
    done
    echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ -n ${CASES// /} ]]; then
        echo
        echo "| case | Mbit/s, median | runs | ratio to kernel MPTCP, median (runs) | CPU-s per GB, both proxies, median (runs) | path 1 share |"
        echo "|---|---:|---|---|---|---:|"
        for case in $CASES; do
            printf '| %s | %s | %s | %s | %s | %s %% |\n' "$case" "$(median <<<"${runs[$case]}")" "${runs[$case]# }" \
                "$( [[ -n ${ratio[$case]:-} ]] && echo "$(median <<<"${ratio[$case]}") (${ratio[$case]# })" || echo -)" \
                "$( [[ -n ${cpu[$case]:-} ]] && echo "$(median <<<"${cpu[$case]}") (${cpu[$case]# })" || echo -)" \
                "$(median <<<"${share[$case]}")"
        done
    fi
    local security
    for security in $PROFILE; do profile "$security"; done
    if (( KEEP_OUT )); then echo; echo "# logs, iperf3 JSON and profiles: $OUT"; fi
}

main "$@"
