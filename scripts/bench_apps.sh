#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks of the local-controller apps, one worker core, input from
# net_pcap (infinite_rx: the file loops at full rate) on port in0 (network
# blue), port out0 (network red) on net_null; the pcaps come from
# bench/gen_apps_pcap.py, the config from its config():
#
#   route   reactive flow setups per second: one blue host sends 64-byte
#           UDP frames through router r0 to --dests red endpoints (known
#           bindings, so no ARP). Each destination's first packet goes to
#           the L3 app, which installs its table-20 flow; with infinite_rx
#           a destination keeps coming (and keeps going to the app, up to
#           the packet-in limits) until its flow is in the datapath. The
#           app's and the worker's counters are polled every --poll-ms
#           until l3.flows_installed has reached --dests and a whole pass
#           over the destinations brought no packet for the controller:
#           then every flow is in the datapath (checked: the host flows in
#           table 20). Prints the time and setups/s from the start of the
#           traffic and from the first flow, the flow additions
#           (l3.flows_installed: more than --dests if the app re-adds a
#           flow for packets of a destination that were already queued),
#           packet-ins and their drops, the longest wait for a control-
#           socket answer, and the forwarding rate in the second after.
#   dhcp    DHCP transactions per second: --clients clients, each a
#           DISCOVER and an INIT-REBOOT REQUEST for its own address (option
#           50 in both), looped by infinite_rx; the first pass is timed
#           (until --clients ACKs), then after a second of warm-up the DHCP
#           app's counters over --seconds: (OFFER + ACK)/s, ACKs/s,
#           DISCOVERs/s, REQUESTs/s, NAKs, pool-full and rate-limited.
#
# The input is held back by a drop rule in table 0 above the apps' rules
# (gen_apps_pcap.GATE) until the poller has connected; deleting it starts
# the clock. Each round restarts the daemon; tables show every round and
# the median. Packet-in limits (apps.* and datapath.pktin_rate/burst) are
# raised to --pktin-rate/--pktin-burst so that they are not what is
# measured (the defaults are 1000/s and 100). Figures, never pass/fail:
# nothing is asserted on time. No hugepages (--no-huge), no root needed.
# Temporary files, the daemon and EAL's runtime directory are removed on
# exit, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

WHAT=all
ROUNDS=3
DURATION=5
DESTS=4000
CLIENTS=10000
TIMEOUT=60
POLL_MS=10
PKTIN_RATE=1000000
PKTIN_BURST=10000
BUILD=1
BUILD_DIR=${BUILD_DIR:-build}
PY="/usr/bin/python3 -B"        # Debian's python3 has scapy; -B: no __pycache__
BASE_MBUFS=32768                # beyond the frames net_pcap holds (infinite_rx)
# no-rx: a plain net_null also receives, and the switch would spend cycles on it.
NULL_DEV=net_null0,no-rx=1

usage() {
    echo "usage: $0 [--what route|dhcp|all] [--rounds N] [--seconds N] [--dests N] [--clients N]"
    echo "          [--timeout N] [--poll-ms N] [--pktin-rate N] [--pktin-burst N] [--no-build]"
    echo "  --what W        which benchmark (default $WHAT)"
    echo "  --rounds N      runs of each, a new daemon each time (default $ROUNDS)"
    echo "  --seconds N     dhcp: measured time after the warm-up (default $DURATION)"
    echo "  --dests N       route: red destinations, 1..4095 (default $DESTS)"
    echo "  --clients N     dhcp: DHCP clients, 1..64000 (default $CLIENTS)"
    echo "  --timeout N     route: give up waiting for the flows after N s;"
    echo "                  dhcp: for the first pass (default $TIMEOUT)"
    echo "  --poll-ms N     route: counter polling interval (default $POLL_MS)"
    echo "  --pktin-rate N  apps' and workers' packet-in rate, 1..1000000 (default $PKTIN_RATE)"
    echo "  --pktin-burst N and burst, 1..100000 (default $PKTIN_BURST)"
    echo "  --no-build      use $BUILD_DIR/ as it is (default: scripts/build.sh first)"
}

while [ $# -gt 0 ]; do
    case $1 in
    --what) WHAT=${2:?--what needs a value}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --seconds) DURATION=${2:?--seconds needs a value}; shift 2 ;;
    --dests) DESTS=${2:?--dests needs a value}; shift 2 ;;
    --clients) CLIENTS=${2:?--clients needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --poll-ms) POLL_MS=${2:?--poll-ms needs a value}; shift 2 ;;
    --pktin-rate) PKTIN_RATE=${2:?--pktin-rate needs a value}; shift 2 ;;
    --pktin-burst) PKTIN_BURST=${2:?--pktin-burst needs a value}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "bench_apps: $1 $2: expected a positive integer" >&2; exit 2; }; }
positive --rounds "$ROUNDS"
positive --seconds "$DURATION"
positive --dests "$DESTS"
positive --clients "$CLIENTS"
positive --timeout "$TIMEOUT"
positive --poll-ms "$POLL_MS"
positive --pktin-rate "$PKTIN_RATE"
positive --pktin-burst "$PKTIN_BURST"
[ "$DESTS" -le 4095 ] || { echo "bench_apps: --dests $DESTS: at most 4095 (4096 endpoints, one is the source)" >&2; exit 2; }
[ "$CLIENTS" -le 64000 ] || { echo "bench_apps: --clients $CLIENTS: at most 64000 (the DHCP range)" >&2; exit 2; }
case $WHAT in
route | dhcp) RUNS=$WHAT ;;
all) RUNS="route dhcp" ;;
*) echo "bench_apps: --what $WHAT: expected route, dhcp or all" >&2; exit 2 ;;
esac

die() { echo "bench_apps: $*" >&2; exit 1; }
# die_log LOG MESSAGE: fail and show the end of the daemon's log.
die_log() { echo "bench_apps: $2; last lines of $1:" >&2; tail -n 20 "$1" | sed 's/^/    /' >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfvbench-apps.XXXXXX")
prefix=nfvbench-apps-$$
SOCK=$tmp/nfvswitch.sock
pid=            # the daemon, while it runs
status=0        # 1 once a daemon exited badly (the figures are still printed)
PYTHONPATH=$PWD/bench${PYTHONPATH:+:$PYTHONPATH}   # gen_apps_pcap for the helpers below
export PYTHONPATH

# stop SIG: send SIG to the daemon, SIGKILL it if it is still there 5 s later.
stop() {
    [ -n "$pid" ] || return 0
    kill "-$1" "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    stop TERM
    local run=/var/run/dpdk
    [ "$(id -u)" -eq 0 ] || run=${XDG_RUNTIME_DIR:-/tmp}/dpdk
    rm -rf "$tmp" "${run:?}/$prefix"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "${PY%% *}" ] || die "no ${PY%% *}"
$PY -c 'import scapy' 2>/dev/null || die "no scapy for ${PY%% *} (apt-get install python3-scapy)"
if [ "$BUILD" -eq 1 ]; then
    BUILD_DIR=$BUILD_DIR ./scripts/build.sh || die "build failed; run ninja -C $BUILD_DIR to see why"
fi
for f in "$BUILD_DIR/nfvswitch" "$BUILD_DIR/nfvctl"; do
    [ -x "$f" ] || die "no $f (run without --no-build, or ./scripts/build.sh)"
done

# eal_args MBUFS: sets EAL for a pool of MBUFS mbufs, as scripts/bench.sh
# does: -m gives 4 KB per mbuf plus 256 MB, in steps of 512 MB.
eal_args() {
    local mb=$((($1 * 4096 / 1048576 + 256 + 511) / 512 * 512))
    # shellcheck disable=SC2054  # "0,1" is one argument
    EAL=(--no-huge -m "$mb" --no-pci -l 0,1 --file-prefix "$prefix" "--log-level=lib.*:error")
}

# gen KIND FILE ARGS...: writes FILE with bench/gen_apps_pcap.py and sets
# FRAMES to the number of frames in it.
gen() {
    local kind=$1 file=$2 out
    shift 2
    out=$($PY bench/gen_apps_pcap.py --kind "$kind" --output "$file" "$@") ||
        die "gen_apps_pcap.py --kind $kind failed"
    FRAMES=$($PY -c 'import json, sys; print(json.loads(sys.argv[1])["frames"])' "$out")
}

# write_config FILE PCAP MBUFS: the config of gen_apps_pcap.config(), with
# DESTS endpoints on out0 (both runs: the dhcp run ignores them).
write_config() {
    $PY - "$1" "$2" "$3" "$DESTS" "$tmp/leases" "$SOCK" "$PKTIN_RATE" "$PKTIN_BURST" "$NULL_DEV" <<'EOF'
import json, sys
import gen_apps_pcap as g
path, pcap, mbufs, dests, leases, sock, rate, burst, null = sys.argv[1:]
cfg = g.config("net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, null,
               int(dests), leases, sock, int(mbufs), int(rate), int(burst))
json.dump(cfg, open(path, "w"), indent=1)
EOF
}

# start CONFIG MBUFS NAME: checks the config (a build without the apps
# refuses the "apps" key) and starts nfvswitch in the background, with no
# lease file.
start() {
    local log=$tmp/$3.log
    eal_args "$2"
    "$BUILD_DIR/nfvswitch" "${EAL[@]}" -- -c "$1" --check >"$log" 2>&1 ||
        die_log "$log" "nfvswitch refuses the config (a build without the apps?)"
    rm -f "$tmp/leases" "$tmp/leases".*
    "$BUILD_DIR/nfvswitch" "${EAL[@]}" -- -c "$1" </dev/null >"$log" 2>&1 &
    pid=$!
}

# finish NAME: shuts the daemon down; a bad exit (e.g. mbufs not returned)
# is reported and makes the script exit 1 at the end.
finish() {
    local log=$tmp/$1.log rc=0
    [ -n "$pid" ] || return 0
    if ! "$BUILD_DIR/nfvctl" -s "$SOCK" shutdown >/dev/null 2>&1; then
        echo "bench_apps: $1: no answer to nfvctl shutdown (control thread busy?); sending SIGTERM too" >&2
        kill -TERM "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "bench_apps: WARNING: $1: nfvswitch still running 10 s after shutdown; killing it" >&2
        stop KILL
        status=1
        return 0
    fi
    wait "$pid" || rc=$?
    pid=
    if [ "$rc" -ne 0 ]; then
        echo "bench_apps: WARNING: $1: nfvswitch exited with status $rc after shutdown; last lines of its log:" >&2
        tail -n 20 "$log" | sed 's/^/    /' >&2
        status=1
    fi
}

# poll MODE ARGS...: talks to the daemon over its control socket (one
# connection, one JSON request per line, as nfvctl does), opens the gate
# and prints the round's figures as one JSON object (see route() and
# dhcp()). Exits 1 with a message if the daemon dies or does not answer.
# Times are time.monotonic().
poll() {
    $PY - "$pid" "$SOCK" "$@" <<'EOF'
import json, os, socket, sys, time
from gen_apps_pcap import GATE

pid, path, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
args = sys.argv[4:]
L3_COOKIE = 0x4e46560004000000
HOST_PRIORITY = 2000
DHCP_KEYS = ("packet_in", "discover", "offer", "request", "ack", "nak",
             "pool_full", "rate_limited")


def fail(msg):
    print("bench_apps: " + msg, file=sys.stderr)
    sys.exit(1)


def alive():
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Ctl:
    """One connection to the control socket. Keeps the longest time a
    request waited for its answer (the control thread answers between
    two rounds of packet-ins) since the last reset."""

    def __init__(self, deadline):
        self.max_wait = 0.0
        while True:
            if not alive():
                fail("nfvswitch exited before answering on " + path)
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                self.f = self.s.makefile("rb")
                self("version")
                return
            except OSError:
                self.s.close()
            if time.monotonic() > deadline:
                fail("nfvswitch did not answer on %s" % path)
            time.sleep(0.005)

    def __call__(self, cmd, **kw):
        t = time.monotonic()
        self.s.sendall(json.dumps({"cmd": cmd, "args": kw}).encode() + b"\n")
        line = self.f.readline()
        if not line:
            if not alive():
                fail("nfvswitch exited during the run")
            raise OSError("control socket closed")
        self.max_wait = max(self.max_wait, time.monotonic() - t)
        r = json.loads(line)
        if not r.get("ok"):
            raise RuntimeError("%s: %s" % (cmd, r.get("error")))
        return r["result"]


def open_gate(ctl):
    """Deletes the rule that held the input back; returns the time the
    request went out (the rule is gone from the datapath when the answer
    comes; packets may pass a little earlier)."""
    t = time.monotonic()
    n = ctl("del-flows", filter=GATE, strict="true").get("deleted")
    if n != 1:
        fail("deleting the gate rule %s: %s rules deleted" % (GATE, n))
    return t


def num(d, *keys):
    for k in keys:
        d = d.get(k, 0) if isinstance(d, dict) else 0
    return d if isinstance(d, (int, float)) and not isinstance(d, bool) else 0


def ints(d):
    return {k: v for k, v in d.items()
            if isinstance(v, int) and not isinstance(v, bool)}


def workers(ctl):
    """Totals over the workers: rx, upcalls, packet-ins, drops by reason."""
    t = {"pktin": 0, "rx": 0, "upcalls": 0, "drops": {}}
    for w in ctl("pmd-stats-show")["workers"]:
        t["pktin"] += w.get("pktin", 0)
        t["rx"] += w.get("rx_packets", 0)
        t["upcalls"] += w.get("upcalls", 0)
        for k, v in w.get("drops", {}).items():
            t["drops"][k] = t["drops"].get(k, 0) + v
    return t


def to_ctl(w):
    """Packets the workers sent towards the controller: delivered, or
    dropped over the rate limit or on a full ring."""
    return (w["pktin"] + w["drops"].get("pktin-rate", 0) +
            w["drops"].get("pktin-full", 0))


def port(ps, name, key):
    return next((p[key] for p in ps["ports"] if p["name"] == name), 0)


def route(n, timeout, poll_ms):
    """Polls until every destination has its flow in the datapath:
    l3.flows_installed has reached n (one addition per destination at
    least) and a whole pass over the n destinations (n packets received)
    went by without a packet for the controller. flows_installed alone
    would not do: it counts additions, which may repeat a destination."""
    ctl = Ctl(time.monotonic() + 120)
    t_start = open_gate(ctl)
    ctl.max_wait = 0.0
    # Per sample: sent (before app-stats), done (after pmd-stats-show's
    # answer), flows_installed, packets to the controller, rx. The control
    # thread may sit on a request while it sets flows up, so a counter
    # was read somewhere between sent and done.
    samples = []
    last_busy = 0       # the last sample that saw packets go to the controller
    complete = False
    while True:
        t = time.monotonic()
        fi = num(ctl("app-stats"), "l3", "flows_installed")
        w = workers(ctl)
        samples.append(dict(sent=t, done=time.monotonic(), fi=fi,
                            ctl=to_ctl(w), rx=w["rx"]))
        k = len(samples) - 1
        if k > 0 and samples[k]["ctl"] > samples[k - 1]["ctl"]:
            last_busy = k
        if (fi >= n and samples[k]["ctl"] == samples[last_busy]["ctl"] and
                samples[k]["rx"] - samples[last_busy]["rx"] >= n):
            complete = True
            break
        # Two samples sent after the timeout: one answer that came late
        # (the control thread busy for longer than the timeout) can still
        # be followed by the sample that shows completion.
        if len(samples) >= 2 and samples[-2]["sent"] - t_start > timeout:
            break
        time.sleep(max(0.0, poll_ms / 1000.0 - (time.monotonic() - t)))
    max_wait = ctl.max_wait
    # The last packet for the controller left the worker before
    # samples[last_busy] was done; its destination's flow was in the
    # datapath one pass over the destinations later (well under a
    # millisecond at Mpps rates).
    t_end = samples[last_busy]["done"] if complete else samples[-1]["done"]
    first = next((i for i, s in enumerate(samples) if s["fi"] > 0), None)
    r = dict(dests=n, poll_ms=poll_ms, complete=complete, samples=len(samples),
             from_start=t_end - t_start, max_wait=max_wait)
    if first is not None:
        # The first flow came after the last sample without any was sent.
        t_zero = samples[first - 1]["sent"] if first > 0 else t_start
        r.update(from_first=t_end - t_zero,
                 first_seen=samples[first]["done"] - t_start,
                 first_seen_flows=samples[first]["fi"])
    flows = ctl("dump-flows", filter="table=20")["flows"]
    r["flows"] = sum(1 for f in flows if f.get("priority") == HOST_PRIORITY and
                     int(str(f.get("cookie", "0")), 0) == L3_COOKIE)
    r["table20"] = len(flows)
    w = workers(ctl)
    l3 = ints(ctl("app-stats").get("l3", {}))
    r.update(adds=l3.get("flows_installed", 0), l3=l3, pktin=w["pktin"],
             rx=w["rx"], upcalls=w["upcalls"], drops=w["drops"])
    # The second after: forwarding, nothing for the controller.
    ps0, t0 = ctl("port-stats"), time.monotonic()
    time.sleep(1.0)
    ps1, w1 = ctl("port-stats"), workers(ctl)
    secs = time.monotonic() - t0
    r.update(after_mpps=(port(ps1, "out0", "tx_packets") -
                         port(ps0, "out0", "tx_packets")) / secs / 1e6,
             after_in_mpps=(port(ps1, "in0", "rx_packets") -
                            port(ps0, "in0", "rx_packets")) / secs / 1e6,
             after_ctl=(to_ctl(w1) - to_ctl(w)) / secs)
    try:
        r["route_show"] = len(ctl("route-show").get("flows", []))
    except (RuntimeError, AttributeError):
        r["route_show"] = None
    return r


def dhcp(clients, seconds, timeout):
    """Times the first pass (until 'clients' ACKs), then after a second
    of warm-up takes the counters over 'seconds', polling app-stats every
    0.1 s meanwhile to see how long answers wait."""
    ctl = Ctl(time.monotonic() + 120)
    t_start = open_gate(ctl)
    t_pass = None
    while True:
        t = time.monotonic()
        d = ctl("app-stats").get("dhcp", {})
        if num(d, "ack") >= clients:
            t_pass = time.monotonic()   # the count was read before this
            break
        if t - t_start > timeout:
            break
        time.sleep(0.01)
    r = dict(clients=clients, first_pass=None if t_pass is None else t_pass - t_start,
             first_pass_acks=num(d, "ack"))
    time.sleep(1.0)

    # Each counter is read when the control thread gets to the request,
    # which may be long after it was sent: its time is that of the answer.
    def timed(f):
        v = f()
        return v, time.monotonic()

    (a0, ta0), (w0, tw0), (p0, tp0) = (
        timed(lambda: ints(ctl("app-stats").get("dhcp", {}))),
        timed(lambda: workers(ctl)), timed(lambda: ctl("port-stats")))
    ctl.max_wait = 0.0
    while time.monotonic() - ta0 < seconds:
        time.sleep(0.1)
        ctl("app-stats")
    (a1, ta1), (w1, tw1), (p1, tp1) = (
        timed(lambda: ints(ctl("app-stats").get("dhcp", {}))),
        timed(lambda: workers(ctl)), timed(lambda: ctl("port-stats")))
    secs, wsecs, psecs = ta1 - ta0, tw1 - tw0, tp1 - tp0
    r.update(secs=secs, max_wait=ctl.max_wait,
             rates={k: (v - a0.get(k, 0)) / secs for k, v in a1.items()},
             missing=[k for k in DHCP_KEYS if k not in a1], totals=a1,
             pktin=(w1["pktin"] - w0["pktin"]) / wsecs,
             rx=(w1["rx"] - w0["rx"]) / wsecs,
             in0_tx={k: (port(p1, "in0", k) - port(p0, "in0", k)) / psecs
                     for k in ("tx_packets", "tx_dropped", "tx_errors")},
             drops={k: (v - w0["drops"].get(k, 0)) / wsecs
                    for k, v in w1["drops"].items()})
    try:
        r["pools"] = ctl("dhcp-leases").get("pools", [])
    except (RuntimeError, AttributeError):
        r["pools"] = []
    return r


try:
    f = route if mode == "route" else dhcp
    print(json.dumps(f(int(args[0]), float(args[1]), float(args[2]))))
except (OSError, RuntimeError, KeyError, ValueError, TypeError) as e:
    fail("%s run: %s" % (mode, e))
except KeyboardInterrupt:
    sys.exit(130)
EOF
}

# report KIND FILE...: the table of the rounds in FILE... (poll's output)
# and their medians.
report() {
    $PY - "$@" <<'EOF'
import json, statistics, sys, textwrap

kind, files = sys.argv[1], sys.argv[2:]
rounds = [json.load(open(f)) for f in files]


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, spec):
    if v is None:
        return "-"
    return format(round(v) if spec == "d" else v, spec)


def table(cols, rows):
    """cols: (title, width, format, function of a round or None)."""
    print(" ".join("%*s" % (w, t) for t, w, _, _ in cols))
    for i, r in enumerate(rows):
        print(" ".join("%*s" % (w, str(i + 1) if f is None else fmt(f(r), s))
                       for _, w, s, f in cols))
    if len(rows) > 1:
        print(" ".join("%*s" % (w, "median" if f is None else
                                fmt(med([f(r) for r in rows]), s))
                       for _, w, s, f in cols))


def rate(n, secs):
    return n / secs if secs else None


def note(text):
    print(textwrap.fill(text, 100))


def drop_str(drops, per_s=False):
    return ", ".join("%s %.0f%s" % (k, v, "/s" if per_s else "")
                     for k, v in sorted(drops.items()) if v) or "none"


if kind == "route":
    n = rounds[0]["dests"]
    print("\n== route: reactive L3 flow setups, %d new destinations "
          "(64-byte UDP, infinite_rx) ==" % n)
    table([
        ("round", 6, "", None),
        ("flows", 6, "d", lambda r: r["flows"]),
        ("s from start", 12, ".3f", lambda r: r["from_start"]),
        ("setups/s", 9, ".0f", lambda r: rate(r["flows"], r["from_start"])),
        ("s from 1st flow", 15, ".3f", lambda r: r.get("from_first")),
        ("setups/s", 9, ".0f", lambda r: rate(r["flows"], r.get("from_first"))),
        ("flow adds", 9, "d", lambda r: r["adds"]),
        ("pkt-ins", 8, "d", lambda r: r["pktin"]),
        ("pktin-full", 10, "d", lambda r: r["drops"].get("pktin-full", 0)),
        ("pktin-rate", 10, "d", lambda r: r["drops"].get("pktin-rate", 0)),
        ("ctl wait ms", 11, ".0f", lambda r: 1000 * r["max_wait"]),
        ("Mpps after", 10, ".2f", lambda r: r["after_mpps"]),
    ], rounds)
    note("flows: destinations with their flow in table 20 (L3 cookie, "
         "priority 2000) once a whole pass brought no packet for the "
         "controller. s from start: from deleting the gate rule to the "
         "sample that saw the last packet for the controller (samples "
         "every %d ms); s from 1st flow: from the last sample without "
         "flows. flow adds: l3.flows_installed. pkt-ins, pktin-full, "
         "pktin-rate: the worker's packet-ins delivered and dropped. ctl "
         "wait: the longest a control-socket request waited during the "
         "setup. Mpps after: out0 in the second after." % rounds[0]["poll_ms"])
    for i, r in enumerate(rounds):
        if not r["complete"]:
            print("round %d NOT COMPLETE by the timeout: %d of %d flows in "
                  "table 20, packets still going to the controller"
                  % (i + 1, r["flows"], n))
        elif r.get("route_show") not in (None, r["flows"]):
            print("round %d: route-show lists %s flows, table 20 has %d"
                  % (i + 1, r["route_show"], r["flows"]))
    last = rounds[-1]
    print("last round: first flows seen %s s after the start (%s of them), "
          "%d samples; worker rx %d, upcalls %d, drops: %s; after: in0 "
          "%.2f Mpps, %.0f packets/s to the controller"
          % (fmt(last.get("first_seen"), ".3f"), last.get("first_seen_flows", "-"),
             last["samples"], last["rx"], last["upcalls"],
             drop_str(last["drops"]), last["after_in_mpps"], last["after_ctl"]))
    print("last round, l3: " + ", ".join("%s %d" % kv for kv in sorted(last["l3"].items())))
else:
    n = rounds[0]["clients"]
    print("\n== dhcp: %d clients, DISCOVER + INIT-REBOOT REQUEST each "
          "(infinite_rx), per second ==" % n)
    rt = lambda k: (lambda r: r["rates"].get(k))
    table([
        ("round", 6, "", None),
        ("s to %d acks" % n, 8 + len(str(n)), ".3f", lambda r: r["first_pass"]),
        ("window s", 8, ".1f", lambda r: r["secs"]),
        ("offer+ack", 10, ".0f", lambda r: r["rates"].get("offer", 0) + r["rates"].get("ack", 0)),
        ("ack", 8, ".0f", rt("ack")),
        ("discover", 9, ".0f", rt("discover")),
        ("request", 8, ".0f", rt("request")),
        ("nak", 6, ".0f", rt("nak")),
        ("pool_full", 9, ".0f", rt("pool_full")),
        ("rate_limited", 12, ".0f", rt("rate_limited")),
        ("pktin-full", 10, ".0f", lambda r: r["drops"].get("pktin-full", 0)),
        ("ctl wait ms", 11, ".0f", lambda r: 1000 * r["max_wait"]),
        ("bound", 6, "d", lambda r: sum(p.get("bound", 0) for p in r["pools"])),
    ], rounds)
    note("s to %d acks: from deleting the gate rule until app-stats "
         "answered with that many ACKs (renewals count: not every client "
         "need be bound by then; late answers, see ctl wait, make it "
         "longer); then a second of warm-up. window s: the time between the "
         "two app-stats answers the rates come from (--seconds, longer when "
         "answers come late). Rates from app-stats dhcp (rate_limited: over "
         "the apps' packet-in limit in the worker); pktin-full: the "
         "worker's packet-ins dropped on a full ring, per second. ctl "
         "wait: the longest a control-socket request (every 0.1 s) "
         "waited. bound: leases in the pool at the end." % n)
    for i, r in enumerate(rounds):
        if r["first_pass"] is None:
            print("round %d: only %d ACKs by the timeout"
                  % (i + 1, r["first_pass_acks"]))
        if r["missing"]:
            print("round %d: not in app-stats dhcp (taken as 0): %s"
                  % (i + 1, ", ".join(r["missing"])))
    last = rounds[-1]
    print("last round: worker rx %.2f Mpps, packet-ins %.0f/s, drops: %s; "
          "replies out of in0: %.0f/s sent, %.0f/s dropped, %.0f/s errors"
          % (last["rx"] / 1e6, last["pktin"], drop_str(last["drops"], True),
             last["in0_tx"]["tx_packets"], last["in0_tx"]["tx_dropped"],
             last["in0_tx"]["tx_errors"]))
    print("last round, dhcp per second: " + ", ".join(
        "%s %.0f" % kv for kv in sorted(last["rates"].items()) if kv[1]))
    print("last round, pools: " + ("; ".join(
        "%s %s: %d bound, %d offered, %d declined, %d full" % (
            p.get("subnet"), p.get("range"), p.get("bound", 0),
            p.get("offered", 0), p.get("declined", 0), p.get("full", 0))
        for p in last["pools"]) or "-"))
EOF
}

# run KIND PCAP_ARGS...: ROUNDS rounds of KIND on one pcap and config.
run() {
    local kind=$1 pcap=$tmp/$1.pcap cfg=$tmp/$1.json mbufs round files=()
    shift
    gen "$kind" "$pcap" "$@"
    mbufs=$((FRAMES + BASE_MBUFS))
    write_config "$cfg" "$pcap" "$mbufs"
    for round in $(seq "$ROUNDS"); do
        echo "$kind round $round/$ROUNDS: $FRAMES frames" >&2
        start "$cfg" "$mbufs" "$kind"
        if [ "$kind" = route ]; then
            poll route "$DESTS" "$TIMEOUT" "$POLL_MS" >"$tmp/$kind-$round.json" ||
                die_log "$tmp/$kind.log" "$kind run failed"
        else
            poll dhcp "$CLIENTS" "$DURATION" "$TIMEOUT" >"$tmp/$kind-$round.json" ||
                die_log "$tmp/$kind.log" "$kind run failed"
        fi
        finish "$kind"
        files+=("$tmp/$kind-$round.json")
    done
    report "$kind" "${files[@]}"
}

for r in $RUNS; do
    case $r in
    route) run route --dests "$DESTS" ;;
    dhcp) run dhcp --clients "$CLIENTS" ;;
    esac
done
exit $status
