#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks of nfvswitch beside dpdk-testpmd, one worker core each, from
# net_pcap (infinite_rx, 64-byte UDP frames from bench/gen_pcap.py) to
# net_null, on the same input in the same run:
#   p2p     port to port: testpmd io and mac, nfvswitch with one in_port rule
#   l3      1,000 /24 routes that rewrite the MACs and decrement the TTL,
#           with 1, 1,000, 100,000 and 1,000,000 flows: testpmd io and mac
#           and nfvswitch on each input
#   budget  nfvswitch alone: 1,000 established flows, then the same beside
#           a flood of new flows that each need a table walk
# Contenders run for a fixed time, interleaved over several rounds; the
# script prints medians and ratios. It asserts nothing. No hugepages
# (--no-huge), so no root needed. Scenario code is in bench/scenarios.sh.
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=all
DURATION=10
ROUNDS=3
OUT=
L3_FLOWS="1 1000 100000 1000000"
BUDGET=64
BUILD_DIR=${BUILD_DIR:-build}
PY="/usr/bin/python3 -B"        # -B: importing bench/gen_pcap.py leaves no __pycache__
BASE_MBUFS=32768                # beyond the frames net_pcap holds (infinite_rx)
# no-rx: otherwise net_null receives too and both forward it back to port 0.
NULL_DEV=net_null0,no-rx=1

usage() {
    echo "usage: $0 [--scenario p2p|l3|budget|all] [--seconds N] [--rounds N]"
    echo "          [--flows N,N...] [--budget N] [--out FILE]"
    echo "  --scenario S  what to run (default $SCENARIO)"
    echo "  --seconds N   measured time per contender and round (default $DURATION)"
    echo "  --rounds N    interleaved rounds; the median is printed (default $ROUNDS)"
    echo "  --flows LIST  flow counts of the l3 scenario (default ${L3_FLOWS// /,})"
    echo "  --budget N    upcall_budget of the budget scenario (default $BUDGET)"
    echo "  --out FILE    also write every measurement to FILE"
}

while [ $# -gt 0 ]; do
    case $1 in
    --scenario) SCENARIO=${2:?--scenario needs a value}; shift 2 ;;
    --seconds) DURATION=${2:?--seconds needs a value}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --flows) L3_FLOWS=${2:?--flows needs a value}; L3_FLOWS=${L3_FLOWS//,/ }; shift 2 ;;
    --budget) BUDGET=${2:?--budget needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "bench: $1 $2: expected a positive integer" >&2; exit 2; }; }
positive --seconds "$DURATION"
positive --rounds "$ROUNDS"
positive --budget "$BUDGET"
for f in $L3_FLOWS; do positive --flows "$f"; done
case $SCENARIO in
p2p|l3|budget) SCENARIOS=$SCENARIO ;;
all) SCENARIOS="p2p l3 budget" ;;
*) echo "bench: --scenario $SCENARIO: expected p2p, l3, budget or all" >&2; exit 2 ;;
esac

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

# gen KIND FILE ARGS...: writes FILE with bench/gen_pcap.py --kind KIND.
gen() {
    local kind=$1 file=$2
    shift 2
    $PY bench/gen_pcap.py --kind "$kind" --output "$file" "$@" || die "gen_pcap.py --kind $kind failed"
}
# pcap_frames FILE: the number of 60-byte frames in FILE.
pcap_frames() { echo $((($(stat -c %s "$1") - 24) / (16 + 60))); }

# set_eal MBUFS: EAL options for a contender whose pool holds MBUFS mbufs
# (net_pcap's infinite_rx keeps the whole pcap in mbufs): -m gives 4 KB per
# mbuf plus 256 MB, in steps of 512 MB: -m 512 for the p2p input, 4608 for
# a million frames. An mbuf takes about 2.4 KB, but testpmd cannot create
# a pool of a million of them in -m 3584 without hugepages.
set_eal() {
    local mb=$((($1 * 4096 / 1048576 + 256 + 511) / 512 * 512))
    EAL=(--no-huge -m "$mb" --no-pci -l '0,1')
}

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

# run_testpmd MODE PCAP MBUFS: sets 'mpps' for dpdk-testpmd
# --forward-mode=MODE reading PCAP, with a pool of MBUFS mbufs.
run_testpmd() {
    local log=$tmp/testpmd-$1.log deadline=$((SECONDS + DURATION + 60))
    set_eal "$3"
    # --stats-period keeps testpmd running with stdin at EOF until SIGINT.
    dpdk-testpmd "${EAL[@]}" --file-prefix "$tp_prefix" \
        --vdev "net_pcap0,rx_pcap=$2,infinite_rx=1" --vdev "$NULL_DEV" -- \
        --forward-mode="$1" --nb-cores=1 --total-num-mbufs="$3" \
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

# sw_config KIND FILE MBUFS PCAP [FLOOD_PCAP...]: writes an nfvswitch config.
#   p2p     config/bench-p2p.json reading PCAP
#   l3      config/bench-l3.json reading PCAP, with gen_pcap.l3_rules("out")
#   budget  bench-l3.json's settings; port in reads PCAP, one port per
#           FLOOD_PCAP; l3 rules to out1, gen_pcap.flood_rules() to out2;
#           upcall_budget BUDGET
sw_config() {
    $PY - "$tmp/nfvbench.sock" "$BUDGET" "$@" <<'EOF'
import json, sys
sys.path.insert(0, "bench")
import gen_pcap
sock, budget, kind, path, mbufs, pcap, *floods = sys.argv[1:]
def pcap_port(name, n, f):
    return {"name": name, "devargs": "net_pcap%d,rx_pcap=%s,infinite_rx=1" % (n, f)}
cfg = json.load(open("config/bench-%s.json" % ("p2p" if kind == "p2p" else "l3")))
cfg["control_socket"] = sock
cfg["mbufs"] = int(mbufs)
cfg["ports"][0] = pcap_port("in", 0, pcap)
if kind == "l3":
    cfg["flows"] = gen_pcap.l3_rules("out")
elif kind == "budget":
    cfg["ports"] = [cfg["ports"][0],
                    {"name": "out1", "devargs": "net_null0,no-rx=1"},
                    {"name": "out2", "devargs": "net_null1,no-rx=1"}]
    cfg["ports"] += [pcap_port("flood%d" % (i + 1), i + 1, f) for i, f in enumerate(floods)]
    cfg["flows"] = gen_pcap.l3_rules("out1") + gen_pcap.flood_rules("out2")
    cfg["datapath"] = {"upcall_budget": int(budget)}
json.dump(cfg, open(path, "w"), indent=1)
EOF
}

# ctl ARGS...: nfvctl against the running nfvswitch.
ctl() { "$BUILD_DIR/nfvctl" -s "$tmp/nfvbench.sock" "$@"; }
# port_tx PORT: packets sent so far on PORT.
port_tx() {
    ctl --json port-stats | $PY -c 'import json, sys
print(next(p["tx_packets"] for p in json.load(sys.stdin)["ports"] if p["name"] == sys.argv[1]))' "$1"
}

# run_nfvswitch CONFIG MBUFS PORT: runs nfvswitch and fills M (see
# sw_metrics) from two samples of the port and worker counters DURATION
# seconds apart, taken one warm-up second after PORT started to send.
run_nfvswitch() {
    local log=$tmp/nfvswitch.log deadline=$((SECONDS + 60)) t0 t1 rc=0
    set_eal "$2"
    "$BUILD_DIR/nfvswitch" "${EAL[@]}" --file-prefix "$sw_prefix" -- \
        -c "$1" </dev/null >"$log" 2>&1 &
    pid=$!
    until [ "$(port_tx "$3" 2>/dev/null || echo 0)" -gt 0 ]; do
        kill -0 "$pid" 2>/dev/null || die_log "$log" "nfvswitch exited early"
        [ $SECONDS -lt $deadline ] || die_log "$log" "nfvswitch sent nothing on $3 for 60 s"
        sleep 0.2
    done
    sleep 1
    ctl pmd-stats-clear >/dev/null
    t0=$EPOCHREALTIME
    ctl --json port-stats >"$tmp/ports0.json"
    sleep "$DURATION"
    t1=$EPOCHREALTIME
    ctl --json port-stats >"$tmp/ports1.json"
    ctl --json pmd-stats-show >"$tmp/pmd.json"
    ctl shutdown >/dev/null || echo "bench: nfvctl shutdown failed" >&2
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die_log "$log" "nfvswitch still running 10 s after shutdown"
    wait "$pid" || rc=$?
    pid=
    [ $rc -eq 0 ] || die_log "$log" "nfvswitch exited with status $rc after shutdown"
    M=()
    while IFS='=' read -r k v; do M[$k]=$v; done < <(sw_metrics "$t0" "$t1")
}

declare -A M=()  # the figures of the last nfvswitch run
# sw_metrics T0 T1: KEY=VALUE lines from the samples of run_nfvswitch:
# mpps_PORT (sent), and from the busiest worker cpp (cycles/packet),
# st_STAGE (cycles/packet per stage), emc_mode, megaflows, masks, emc_hit
# and mf_hit (% of received), upcalls (/s), budget_drops (/s), drops (the
# nonzero reasons, per second).
sw_metrics() {
    $PY - "$tmp" "$1" "$2" <<'EOF'
import json, sys
d, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
secs = t1 - t0
ports = [{p["name"]: p for p in json.load(open("%s/ports%d.json" % (d, i)))["ports"]} for i in (0, 1)]
w = max(json.load(open(d + "/pmd.json"))["workers"], key=lambda w: w["rx_packets"])
rx = max(w["rx_packets"], 1)
m = {"mpps_" + n: "%.2f" % ((p["tx_packets"] - ports[0][n]["tx_packets"]) / secs / 1e6)
     for n, p in ports[1].items()}
m.update({"st_" + s: "%.1f" % v for s, v in w["cycles_per_stage"].items()})
mode = w["emc_mode"]
if mode == "sampled":
    mode += "/%d" % w["emc_insert_inv_prob"]
m.update(cpp="%.1f" % w["cycles_per_packet"], emc_mode=mode,
         megaflows=w["megaflows"], masks=w["megaflow_masks"],
         emc_hit="%.1f" % (100 * w["emc_hits"] / rx),
         mf_hit="%.1f" % (100 * w["megaflow_hits"] / rx),
         upcalls="%.0f" % (w["upcalls"] / secs),
         budget_drops="%.0f" % (w["drops"].get("upcall-budget", 0) / secs),
         drops=" ".join("%s:%.0f/s" % (k, v / secs) for k, v in w["drops"].items() if v) or "-")
for k, v in m.items():
    print("%s=%s" % (k, v))
EOF
}

# Results: R[KEY] holds the value of every round, space-separated.
declare -A R=()
# record KEY VALUE [RAW...]: keeps VALUE under KEY; with RAW (scenario,
# round, case, contender, cycles/packet) also writes a line to --out.
record() {
    R[$1]+=" $2"
    [ $# -eq 2 ] || [ -z "$OUT" ] ||
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$3" "$4" "$5" "$6" "$2" "$7" >>"$OUT"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
# med KEY: the median of KEY's values.
med() { median <<<"${R[$1]:-}"; }
# stage_record PREFIX: keeps the per-stage cycles and cache figures of M
# (the labels: emc mode, megaflows, drops, of the last round only).
stage_record() {
    local k
    for k in cpp st_rx st_parse st_lookup st_upcall st_actions st_tx emc_hit mf_hit upcalls; do
        record "$1:$k" "${M[$k]}"
    done
    R[$1:emc_mode]=${M[emc_mode]}
    R[$1:megaflows]=${M[megaflows]}/${M[masks]}
    R[$1:drops]=${M[drops]// /,}
}
# stage_header / stage_row LABEL PREFIX: a table of stage_record's medians.
stage_header() {
    printf '%-14s %6s %6s %6s %7s %7s %6s %7s %7s %10s  %s\n' "$1" \
        rx parse lookup upcall actions tx "emc %" "mf %" upcalls/s "drops (last round)"
}
stage_row() {
    printf '%-14s %6.1f %6.1f %6.1f %7.1f %7.1f %6.1f %7.1f %7.1f %10.0f  %s\n' "$1" \
        "$(med "$2:st_rx")" "$(med "$2:st_parse")" "$(med "$2:st_lookup")" \
        "$(med "$2:st_upcall")" "$(med "$2:st_actions")" "$(med "$2:st_tx")" \
        "$(med "$2:emc_hit")" "$(med "$2:mf_hit")" "$(med "$2:upcalls")" "${R[$2:drops]}"
}

. bench/scenarios.sh

[ -z "$OUT" ] || printf '# scenario\tround\tcase\tcontender\tmpps\tcycles_per_packet\n' >"$OUT"
for s in $SCENARIOS; do
    "scenario_$s"
done
