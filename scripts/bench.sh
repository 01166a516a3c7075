#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Port-to-port benchmark: nfvswitch against dpdk-testpmd (io and mac
# forwarding) on the same input, one worker core each, from net_pcap
# (infinite_rx, 64-byte UDP frames from bench/gen_pcap.py) to net_null.
# Contenders run for a fixed time, interleaved over several rounds; the
# script prints the median Mpps of each and the ratios. It asserts nothing.
# No hugepages (--no-huge), so no root needed. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=10
ROUNDS=3
OUT=
BUILD_DIR=${BUILD_DIR:-build}
PY=/usr/bin/python3
EAL=(--no-huge -m 512 --no-pci -l '0,1')
MBUFS=32768     # both contenders; testpmd's default pool does not fit -m 512
# no-rx: otherwise net_null receives too and both forward it back to port 0.
NULL_DEV=net_null0,no-rx=1

usage() {
    echo "usage: $0 [--seconds N] [--rounds N] [--out FILE]"
    echo "  --seconds N  measured time per contender and round (default $DURATION)"
    echo "  --rounds N   interleaved rounds; the median is printed (default $ROUNDS)"
    echo "  --out FILE   also write every measurement to FILE"
}

while [ $# -gt 0 ]; do
    case $1 in
    --seconds) DURATION=${2:?--seconds needs a value}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || { echo "bench: --seconds $DURATION: expected a positive integer" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench: --rounds $ROUNDS: expected a positive integer" >&2; exit 2; }

die() { echo "bench: $*" >&2; exit 1; }
# die_log LOG MESSAGE: fail and show the end of the contender's log.
die_log() { echo "bench: $2; last lines of $1:" >&2; tail -n 20 "$1" | sed 's/^/    /' >&2; exit 1; }

tmp=$(mktemp -d /tmp/nfvbench.XXXXXX)
tp_prefix=nfvbench-tp-$$
sw_prefix=nfvbench-sw-$$
pid=            # the contender running now, if any

# stop SIG: send SIG to the contender, SIGKILL it if it is still there 5 s later.
stop() {
    [ -n "$pid" ] || return 0
    kill "-$1" "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

cleanup() {
    stop TERM
    local run=/var/run/dpdk
    [ "$(id -u)" -eq 0 ] || run=${XDG_RUNTIME_DIR:-/tmp}/dpdk
    rm -rf "$tmp" "${run:?}/$tp_prefix" "${run:?}/$sw_prefix"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd not found (apt-get install dpdk)"
if [ ! -x "$BUILD_DIR/nfvswitch" ] || [ ! -x "$BUILD_DIR/nfvctl" ]; then
    echo "bench: $BUILD_DIR/nfvswitch missing, running ./scripts/build.sh" >&2
    BUILD_DIR=$BUILD_DIR ./scripts/build.sh || die "build failed; run ninja -C $BUILD_DIR to see why"
fi
[ -x "$BUILD_DIR/nfvswitch" ] || die "$BUILD_DIR/nfvswitch still missing after the build"

pcap=$tmp/frames-64.pcap
$PY bench/gen_pcap.py --output "$pcap" --frames 1024 --size 64

# tp_mpps LOG: testpmd's periodic stats print, per port, the running
# TX-packets total and Tx-pps over the interval since the previous print,
# timed by testpmd itself (clock_gettime); with --stats-period=1, 22.11
# prints about every 2 s. Port 1 is net_null, so its TX is what was
# forwarded. The first two prints (nothing yet, then start-up) are skipped;
# each later interval lasted dpkts/pps seconds. Prints the Mpps over those
# intervals once they cover DURATION seconds, else nothing. testpmd's own
# clock keeps our polling delay out of the figure.
tp_mpps() {
    awk -v want="$DURATION" '
        /NIC statistics for port 1/ { p = 1; next }
        p && /TX-packets:/ { tx = $2 }
        p && /Tx-pps:/ {
            if (++n > 2 && $2 > 0) { pkts += tx - prev; secs += (tx - prev) / $2 }
            prev = tx; p = 0
        }
        END { if (secs >= want) printf "%.2f\n", pkts / secs / 1e6 }' "$1"
}

# run_testpmd MODE: sets 'mpps' for dpdk-testpmd --forward-mode=MODE.
run_testpmd() {
    local log=$tmp/testpmd-$1.log deadline=$((SECONDS + DURATION + 60))
    # --stats-period keeps testpmd running with stdin at EOF until SIGINT.
    dpdk-testpmd "${EAL[@]}" --file-prefix "$tp_prefix" \
        --vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev "$NULL_DEV" -- \
        --forward-mode="$1" --nb-cores=1 --total-num-mbufs=$MBUFS \
        --auto-start --stats-period=1 </dev/null >"$log" 2>&1 &
    pid=$!
    mpps=
    while [ -z "$mpps" ]; do
        sleep 0.5
        kill -0 "$pid" 2>/dev/null || die_log "$log" "testpmd $1 exited early"
        [ $SECONDS -lt $deadline ] || die_log "$log" "testpmd $1: no steady stats after $((DURATION + 60)) s"
        mpps=$(tp_mpps "$log")
    done
    stop INT
}

# ctl ARGS...: nfvctl against the running nfvswitch.
ctl() { "$BUILD_DIR/nfvctl" -s "$sock" "$@"; }
# jget EXPR: evaluates the Python expression EXPR on the JSON 'j' from stdin.
jget() { $PY -c "import json, sys; j = json.load(sys.stdin); print($1)"; }
out_tx() { ctl --json port-stats | jget 'next(p["tx_packets"] for p in j["ports"] if p["name"] == "out")'; }

# run_nfvswitch: sets 'mpps' and 'cpp' (cycles/packet) for nfvswitch. The
# rate is the delta of port out's tx_packets between two samples DURATION
# seconds apart, taken one warm-up second after packets started to flow.
run_nfvswitch() {
    local log=$tmp/nfvswitch.log cfg=$tmp/bench-p2p.json deadline=$((SECONDS + 60))
    local t0 t1 tx0 tx1 rc=0
    sock=$tmp/nfvbench.sock
    $PY - "$pcap" "$sock" >"$cfg" <<'EOF'
import json, sys
cfg = json.load(open("config/bench-p2p.json"))
cfg["control_socket"] = sys.argv[2]
cfg["ports"][0]["devargs"] = "net_pcap0,rx_pcap=%s,infinite_rx=1" % sys.argv[1]
json.dump(cfg, sys.stdout, indent=1)
EOF
    "$BUILD_DIR/nfvswitch" "${EAL[@]}" --file-prefix "$sw_prefix" -- \
        -c "$cfg" -s "$sock" </dev/null >"$log" 2>&1 &
    pid=$!
    until [ "$(out_tx 2>/dev/null || echo 0)" -gt 0 ]; do
        kill -0 "$pid" 2>/dev/null || die_log "$log" "nfvswitch exited early"
        [ $SECONDS -lt $deadline ] || die_log "$log" "nfvswitch forwarded nothing for 60s"
        sleep 0.2
    done
    sleep 1
    ctl pmd-stats-clear >/dev/null
    t0=$EPOCHREALTIME; tx0=$(out_tx)
    sleep "$DURATION"
    t1=$EPOCHREALTIME; tx1=$(out_tx)
    cpp=$(ctl --json pmd-stats-show |
        jget '"%.1f" % max(j["workers"], key=lambda w: w["rx_packets"])["cycles_per_packet"]')
    mpps=$(awk -v d="$((tx1 - tx0))" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f\n", d / (t1 - t0) / 1e6 }')
    ctl shutdown >/dev/null || echo "bench: nfvctl shutdown failed" >&2
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die_log "$log" "nfvswitch still running 10 s after shutdown"
    wait "$pid" || rc=$?
    pid=
    [ $rc -eq 0 ] || die_log "$log" "nfvswitch exited with status $rc after shutdown"
}

names=("testpmd io" "testpmd mac" "nfvswitch p2p")
declare -A runs=()      # name -> space-separated Mpps of every round
cpps=
[ -z "$OUT" ] || printf '# round\tcontender\tmpps\tcycles_per_packet\n' >"$OUT"
for round in $(seq "$ROUNDS"); do
    for name in "${names[@]}"; do
        cpp=-
        case $name in
        "testpmd io") run_testpmd io ;;
        "testpmd mac") run_testpmd mac ;;
        "nfvswitch p2p") run_nfvswitch; cpps+=" $cpp" ;;
        esac
        runs[$name]+=" $mpps"
        echo "round $round/$ROUNDS: $name $mpps Mpps" >&2
        [ -z "$OUT" ] || printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$mpps" "$cpp" >>"$OUT"
    done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
io=$(median <<<"${runs[testpmd io]}")
mac=$(median <<<"${runs[testpmd mac]}")
echo
printf '%-22s %-20s %-15s %s\n' contender "Mpps (median of $ROUNDS)" "vs testpmd-io" "vs testpmd-mac"
for name in "${names[@]}"; do
    m=$(median <<<"${runs[$name]}")
    awk -v n="$name" -v m="$m" -v io="$io" -v mac="$mac" \
        'BEGIN { printf "%-22s %-20.2f %-15.2f %.2f\n", n, m, m / io, m / mac }'
done
echo "nfvswitch cycles/packet (median): $(median <<<"$cpps")"
