#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks of nfvswitch's OpenFlow channel (not run by the tests):
#
#   flow_mod   N flows (default 100,000) over one connection: ovs-ofctl
#              add-flows from a file (its wall time ends with the barrier
#              reply; ovs-ofctl's own parsing is timed apart), then the same
#              N as pre-encoded flow_mods from tests/integration/of_client.py
#              (time to send, time to the barrier reply), a full dump-flows
#              and a del-flows of them.
#   pktin      packet-in -> packet-out round trips with an os-ken app
#              (tests/integration/of_app.py, mode bench): the app keeps W
#              packet-outs to output:TABLE in flight, the table-miss flow
#              sends each back as a packet-in, which the app answers with the
#              next packet-out; for each window W (default 1 and 32).
#   echo       open loop: a net_pcap port loops its input at full rate into a
#              table-miss flow to the controller; the os-ken app (mode echo)
#              answers each packet-in with a packet-out to port 2. Prints the
#              packet-ins delivered and dropped and the packet-outs sent per
#              second (pktin_rate raised to 1,000,000/s).
#
# Packet-ins reach the OpenFlow channel through a 1 ms drain timer of the
# control thread, which bounds the window-1 round trips to about 1,000/s.
# No hugepages, no root. It asserts nothing; it prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."

FLOWS=100000
SECONDS_RUN=5
WINDOWS="1 32"
WHAT=all
BUILD_DIR=${BUILD_DIR:-build}
PY=(/usr/bin/python3 -B)        # -B: no __pycache__ in the source tree
NFVSWITCH=$BUILD_DIR/nfvswitch
NFVCTL=$BUILD_DIR/nfvctl
OFCLIENT=tests/integration/of_client.py
OFAPP=tests/integration/of_app.py

usage() {
    echo "usage: $0 [--what flow_mod|pktin|echo|all] [--flows N] [--seconds N] [--windows W,W...]"
    echo "  --what      which benchmark (default $WHAT)"
    echo "  --flows N   flows of the flow_mod benchmark (default $FLOWS)"
    echo "  --seconds N duration of each pktin/echo run (default $SECONDS_RUN)"
    echo "  --windows L packet-outs in flight in the pktin runs (default ${WINDOWS// /,})"
}
while [ $# -gt 0 ]; do
    case $1 in
    --what) WHAT=${2:?--what needs a value}; shift 2 ;;
    --flows) FLOWS=${2:?--flows needs a value}; shift 2 ;;
    --seconds) SECONDS_RUN=${2:?--seconds needs a value}; shift 2 ;;
    --windows) WINDOWS=${2:?--windows needs a value}; WINDOWS=${WINDOWS//,/ }; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "bench_openflow: $1 $2: expected a positive integer" >&2; exit 2; }; }
positive --flows "$FLOWS"
positive --seconds "$SECONDS_RUN"
for w in $WINDOWS; do positive --windows "$w"; done
case $WHAT in flow_mod | pktin | echo | all) ;; *) usage >&2; exit 2 ;; esac
for f in "$NFVSWITCH" "$NFVCTL"; do
    [ -x "$f" ] || { echo "bench_openflow: no $f (build first)" >&2; exit 1; }
done
command -v ovs-ofctl >/dev/null || { echo "bench_openflow: no ovs-ofctl (openvswitch-common)" >&2; exit 1; }
"${PY[@]}" -c "import os_ken" 2>/dev/null || { echo "bench_openflow: no os-ken (python3-os-ken)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfv-bench-of.XXXXXX")
PREFIX="nfvbench-of-$$"
SOCK=$tmp/ctl.sock
PIDS=()
cleanup() {
    local p i
    for p in "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null || continue
        for ((i = 0; i < 50; i++)); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
    if [ "$(id -u)" -eq 0 ]; then
        rm -rf "/var/run/dpdk/$PREFIX"
    else
        rm -rf "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$PREFIX"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {       # SALT
    local p=$((20000 + ($$ * 13 + $1 * 1009) % 12000))
    while [ -n "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; do p=$((p + 1)); done
    echo "$p"
}
OFPORT=$(free_port 1)
CPORT=$(free_port 2)
TARGET=tcp:127.0.0.1:$OFPORT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
json() { "${PY[@]}" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

# start_switch PORTS-JSON CONTROLLERS-JSON
start_switch() {
    cat >"$tmp/config.json" <<EOF
{
  "eal": ["--no-huge", "-m", "1024", "--no-pci", "-l", "0,1", "--file-prefix", "$PREFIX", "--log-level=lib.*:error"],
  "pmd_cores": [1],
  "control_socket": "$SOCK",
  "ports": [$1],
  "datapath": {"pktin_rate": 1000000, "pktin_burst": 100000},
  "openflow": {"listen": ["ptcp:$OFPORT:127.0.0.1"], "controllers": $2}
}
EOF
    "$NFVSWITCH" -c "$tmp/config.json" >"$tmp/switch.log" 2>&1 &
    SWITCH=$!
    PIDS+=("$SWITCH")
    local i
    for ((i = 0; i < 300; i++)); do
        "$NFVCTL" -s "$SOCK" version >/dev/null 2>&1 && return 0
        kill -0 "$SWITCH" 2>/dev/null || { cat "$tmp/switch.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "bench_openflow: nfvswitch did not start" >&2
    exit 1
}
stop_pid() {
    local i
    kill -TERM "$1" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
stop_switch() {
    local rc=0 i
    "$NFVCTL" -s "$SOCK" shutdown >/dev/null 2>&1 || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$SWITCH" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$SWITCH" 2>/dev/null && stop_pid "$SWITCH"
    wait "$SWITCH" 2>/dev/null || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "bench_openflow: WARNING: nfvswitch exited with status $rc; its log:" >&2
        tail -n 20 "$tmp/switch.log" >&2
    fi
}
NULL_PORTS='{"name": "p1", "devargs": "net_null0,no-rx=1"}, {"name": "p2", "devargs": "net_null1,no-rx=1"}'

# start_app MODE [ENV=VALUE...]: os-ken with of_app.py on CPORT.
start_app() {
    local mode=$1 i
    shift
    rm -f "$tmp/app.json"
    env OF_APP_OUT="$tmp/app.json" OF_APP_MODE="$mode" "$@" \
        "${PY[@]}" -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 \
        --ofp-tcp-listen-port "$CPORT" "$OFAPP" >"$tmp/app.log" 2>&1 &
    APP=$!
    PIDS+=("$APP")
    for ((i = 0; i < 300; i++)); do
        [ -n "$(ss -Hltn "sport = :$CPORT")" ] && return 0
        kill -0 "$APP" 2>/dev/null || { cat "$tmp/app.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "bench_openflow: os-ken did not start" >&2
    exit 1
}

bench_flow_mod() {
    local t0 t1 t_parse t_add t_dump n res
    echo "== flow_mod: $FLOWS flows over one connection =="
    awk -v n="$FLOWS" 'BEGIN { for (i = 0; i < n; i++)
        printf "table=0,priority=100,ip,nw_dst=10.%d.%d.%d,actions=output:2\n",
            int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$tmp/flows.txt"
    start_switch "$NULL_PORTS" "[]"
    t0=$(now)
    ovs-ofctl -O OpenFlow13 parse-flows "$tmp/flows.txt" >/dev/null
    t1=$(now)
    t_parse=$(elapsed "$t0" "$t1")
    t0=$(now)
    ovs-ofctl -O OpenFlow13 --timeout=600 add-flows "$TARGET" "$tmp/flows.txt"
    t1=$(now)
    t_add=$(elapsed "$t0" "$t1")
    n=$("$NFVCTL" -s "$SOCK" --json show | json /dev/stdin "j['flows']")
    # ovs-ofctl 3.1 sends each flow_mod with a barrier and waits for its
    # reply: this is a barrier round trip per flow.
    printf '%-44s %10s s  %10s flow_mods/s\n' "ovs-ofctl add-flows (to the last barrier reply)" "$t_add" "$(rate "$FLOWS" "$t_add")"
    printf '%-44s %10s us\n' "  per flow_mod + barrier round trip" "$(awk -v t="$t_add" -v n="$FLOWS" 'BEGIN { printf "%.1f", t * 1e6 / n }')"
    printf '%-44s %10s s\n' "  of which ovs-ofctl parsing (parse-flows)" "$t_parse"
    printf '%-44s %10s s  %10s flow_mods/s\n' "  without the parsing" \
        "$(elapsed "$t_parse" "$t_add")" "$(rate "$FLOWS" "$(elapsed "$t_parse" "$t_add")")"
    echo "  flows in the switch afterwards: $n"
    t0=$(now)
    n=$(ovs-ofctl -O OpenFlow13 --timeout=600 dump-flows "$TARGET" 2>"$tmp/dump.err" | grep -c n_packets= || true)
    t1=$(now)
    t_dump=$(elapsed "$t0" "$t1")
    printf '%-44s %10s s  %10s flows/s (%s flows)\n' "ovs-ofctl dump-flows" "$t_dump" "$(rate "$n" "$t_dump")" "$n"
    if [ "$n" -ne "$FLOWS" ]; then
        echo "  INCOMPLETE: $n of $FLOWS flows; ovs-ofctl: $(cat "$tmp/dump.err")"
    fi
    t0=$(now)
    ovs-ofctl -O OpenFlow13 --timeout=600 del-flows "$TARGET"
    t1=$(now)
    printf '%-44s %10s s\n' "ovs-ofctl del-flows (all)" "$(elapsed "$t0" "$t1")"
    # Pre-encoded flow_mods: the switch's side alone.
    res=$("${PY[@]}" "$OFCLIENT" flood "$OFPORT" "$FLOWS" 0)
    printf '%-44s %10s s\n' "of_client.py: send $FLOWS flow_mods" "$(json /dev/stdin "j['send_s']" <<<"$res")"
    printf '%-44s %10s s  %10s flow_mods/s\n' "of_client.py: ... to the barrier reply" \
        "$(json /dev/stdin "j['barrier_s']" <<<"$res")" "$(json /dev/stdin "j['per_s']" <<<"$res")"
    stop_switch
    echo
}

bench_pktin() {
    local w res
    echo "== pktin: packet-in -> packet-out round trips (os-ken, ${SECONDS_RUN} s each) =="
    printf '%-10s %12s %12s %14s\n' window packet_outs packet_ins "round trips/s"
    for w in $WINDOWS; do
        start_app bench OF_APP_WINDOW="$w" OF_APP_SECS="$SECONDS_RUN"
        start_switch "$NULL_PORTS" "[\"tcp:127.0.0.1:$CPORT\"]"
        local i
        for ((i = 0; i < (SECONDS_RUN + 30) * 10; i++)); do
            [ -s "$tmp/app.json" ] &&
                [ "$(json "$tmp/app.json" "j['bench'] is not None")" == True ] && break
            sleep 0.1
        done
        if [ "$(json "$tmp/app.json" "j['bench'] is not None")" != True ]; then
            echo "bench_openflow: no result from the app (window $w)" >&2
            tail "$tmp/app.log" "$tmp/switch.log" >&2
            exit 1
        fi
        printf '%-10s %12s %12s %14s\n' "$w" \
            "$(json "$tmp/app.json" "j['bench']['packet_out']")" \
            "$(json "$tmp/app.json" "j['bench']['packet_in']")" \
            "$(json "$tmp/app.json" "j['bench']['round_trips_per_s']")"
        stop_switch
        stop_pid "$APP"
    done
    echo
}

bench_echo() {
    local i t0 t1 s0 s1 secs
    echo "== echo: traffic at full rate into packet-ins, each answered by a packet-out (${SECONDS_RUN} s) =="
    "${PY[@]}" - "$tmp/in.pcap" <<'EOF'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(64):
        fr = bytes.fromhex("020000000002020000000001" "0800") + bytes(50)
        f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)
EOF
    start_app echo OF_APP_ECHO_PORT=2
    start_switch "{\"name\": \"p1\", \"devargs\": \"net_pcap0,rx_pcap=$tmp/in.pcap,infinite_rx=1\"}, {\"name\": \"p2\", \"devargs\": \"net_null1,no-rx=1\"}" \
        "[\"tcp:127.0.0.1:$CPORT\"]"
    for ((i = 0; i < 300; i++)); do
        [ -s "$tmp/app.json" ] && [ "$(json "$tmp/app.json" "'echo' in j and j['echo'].get('packet_out', 0) > 0")" == True ] && break
        sleep 0.1
    done
    snap() {
        "$NFVCTL" -s "$SOCK" --json controller-show >"$tmp/cs.json"
        "$NFVCTL" -s "$SOCK" --json port-stats p2 >"$tmp/ps.json"
        echo "$(now) $(json "$tmp/cs.json" "j['packet_in']") $(json "$tmp/cs.json" "j['packet_in_dropped']") $(json "$tmp/ps.json" "j['ports'][0]['tx_packets']")"
    }
    s0=$(snap)
    sleep "$SECONDS_RUN"
    s1=$(snap)
    read -r t0 pi0 pd0 tx0 <<<"$s0"
    read -r t1 pi1 pd1 tx1 <<<"$s1"
    secs=$(elapsed "$t0" "$t1")
    printf '%-40s %12s /s\n' "packet-ins made (controller-show)" "$(rate $((pi1 - pi0)) "$secs")"
    printf '%-40s %12s /s\n' "  of which dropped: controller too slow" "$(rate $((pd1 - pd0)) "$secs")"
    printf '%-40s %12s /s\n' "packet-outs out of port 2" "$(rate $((tx1 - tx0)) "$secs")"
    "$NFVCTL" -s "$SOCK" --json pmd-stats-show >"$tmp/pmd.json"
    echo "worker drops: pktin-rate $(json "$tmp/pmd.json" "sum(w['drops']['pktin-rate'] for w in j['workers'])"), pktin-full $(json "$tmp/pmd.json" "sum(w['drops']['pktin-full'] for w in j['workers'])")"
    stop_switch
    stop_pid "$APP"
    echo
}

echo "nfvswitch OpenFlow benchmark ($NFVSWITCH)"
echo "ovs-ofctl: $(ovs-ofctl --version | head -n 1); CPUs: $(nproc)"
echo
case $WHAT in
flow_mod) bench_flow_mod ;;
pktin) bench_pktin ;;
echo) bench_echo ;;
all) bench_flow_mod; bench_pktin; bench_echo ;;
esac
