#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Bad configs and bad command lines: each makes nfvswitch exit 1, quickly,
# with one line "nfvswitch: <message>" on stderr that names the problem,
# and leaves no control socket and no process behind. Whatever the config
# and command line show by themselves (flows included: the config names
# every port) must be found before EAL starts; what needs a running EAL
# (lcores, devices) after it, but still before the control socket exists.
# Also: --check on good and bad configs, --help and --version.
source "$(dirname "$0")/lib.sh"
nfv_init

SOCK="$TMPD/ctl.sock"
nfv_prefix bad
PREFIX=$NFV_PREFIX
nfv_eal_args "$PREFIX"
EAL=("${NFV_EAL[@]}")
RUNDIR=$(nfv_eal_rundir "$PREFIX")
# Seconds a rejected start may take: config errors are found before EAL
# starts; the others after EAL with a handful of vdevs.
FAST_S=3
SLOW_S=20

GOOD_PORTS='[{"name": "p1", "devargs": "net_null0,no-rx=1"}, {"name": "p2", "devargs": "net_null1,no-rx=1"}]'

# Runs nfvswitch with "$@" and checks the outcome: exit 1, one line
# "nfvswitch: ..." on stderr containing every NEEDLE, no socket and no
# process left. WHEN is "early" for what the config and command line show
# by themselves: found before EAL starts (no EAL runtime directory appears)
# within FAST_S, and stderr is that one line. WHEN is "late" for what only
# a running EAL can tell (lcores, devices): within SLOW_S, and DPDK may
# have logged its own lines first; ours must be the last.
CASE_N=0
expect_fail() {     # DESCRIPTION WHEN "NEEDLE|NEEDLE..." NFVSWITCH-ARGS...
    local desc=$1 when=$2 needles=$3 t0 t1 ms n limit=$FAST_S
    shift 3
    CASE_N=$((CASE_N + 1))
    rm -rf "$RUNDIR"
    t0=$(date +%s%N)
    run timeout 60 "$NFVSWITCH" "$@"
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    [ "$RC" -ne 124 ] || fail "$desc: still running after 60 s"
    IFS='|' read -r -a parts <<<"$needles"
    if [ "$when" == late ]; then
        limit=$SLOW_S
        local others
        others=$(printf '%s\n' "$ERR" | head -n -1)
        [ -z "$others" ] || log "($desc: logged first: ${others//$'\n'/ | })"
        ERR=$(printf '%s\n' "$ERR" | tail -n 1)
    elif [ -e "$RUNDIR" ]; then
        fail "$desc: EAL was started before the error was found (stderr: $ERR)"
    fi
    assert_err "$desc" "nfvswitch: " "${parts[@]}"
    [ "$ms" -le $((limit * 1000)) ] || fail "$desc: took $ms ms (limit ${limit} s)"
    pass
    [ -e "$SOCK" ] && fail "$desc: left $SOCK behind"
    n=$(pgrep -f -- "--file-prefix $PREFIX( |$)" | wc -l || true)
    [ "$n" -eq 0 ] || fail "$desc: $n nfvswitch processes left behind"
    pass
    log "ok: $desc (${ms} ms): $ERR"
}

# Writes a config with the given top-level members into $TMPD/c$CASE_N.json
# and prints its path. Members are JSON text, e.g. '"ports": [...]'.
config() {
    local f="$TMPD/c$((CASE_N + 1)).json" IFS=,
    printf '{%s}\n' "$*" >"$f"
    echo "$f"
}
ports() { echo "\"ports\": $1"; }

# Bad config, found before EAL: run with EAL arguments and a socket, so that
# a daemon that went on would have created it.
bad_config() {      # DESCRIPTION "NEEDLES" FILE
    expect_fail "$1" early "$2" "${EAL[@]}" -- -c "$3" -s "$SOCK"
}
# Bad config that only a started EAL can detect.
bad_config_late() {
    expect_fail "$1" late "$2" "${EAL[@]}" -- -c "$3" -s "$SOCK"
}

# --- the file itself --------------------------------------------------------
bad_config "missing file" "$TMPD/nonexistent.json|No such file or directory" "$TMPD/nonexistent.json"
mkdir "$TMPD/dir.json"
bad_config "a directory" "$TMPD/dir.json" "$TMPD/dir.json"
printf '' >"$TMPD/empty.json"
bad_config "empty file" "line 1" "$TMPD/empty.json"
printf '{\n  "ports": [\n    {"name": "p1",, "devargs": "net_null0"}\n  ]\n}\n' >"$TMPD/syntax.json"
bad_config "JSON syntax error" "line 3, column" "$TMPD/syntax.json"
printf '{"ports": [{"name": "p1", "devargs": "net_null0"}], "pmd_cores": [1], "pmd_cores": [1]}' >"$TMPD/dupkey.json"
bad_config "duplicate key" "duplicate|pmd_cores" "$TMPD/dupkey.json"
printf '[]' >"$TMPD/array.json"
bad_config "not an object" "expected a JSON object" "$TMPD/array.json"
printf '{"ports": [{"name": "p1", "devargs": "net_null0"}]}\n\x01garbage' >"$TMPD/trailing.json"
bad_config "garbage after the object" "line" "$TMPD/trailing.json"

# --- keys and values --------------------------------------------------------
bad_config "unknown top-level key" "bogus: unknown key" \
    "$(config "$(ports "$GOOD_PORTS")" '"bogus": 1')"
bad_config "missing ports" "ports: missing required key" "$(config '"pmd_cores": [1]')"
bad_config "no ports" "ports: expected" "$(config "$(ports '[]')")"
bad_config "ports not an array" "ports: expected array" "$(config "$(ports '{}')")"
bad_config "port not an object" "ports[0]: expected object" "$(config "$(ports '[1]')")"
bad_config "devargs not a string" "ports[1].devargs: expected|string" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0"}, {"name": "p2", "devargs": 5}]')")"
bad_config "empty devargs" "ports[0].devargs: expected" \
    "$(config "$(ports '[{"name": "p1", "devargs": ""}]')")"
bad_config "missing devargs" "ports[0].devargs: missing required key" \
    "$(config "$(ports '[{"name": "p1"}]')")"
bad_config "missing port name" "ports[0].name: missing required key" \
    "$(config "$(ports '[{"devargs": "net_null0"}]')")"
bad_config "unknown port key" "ports[0].speed: unknown key" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "speed": 10}]')")"
bad_config "duplicate port names" "ports[1].name|duplicate port name 'p1'" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0"}, {"name": "p1", "devargs": "net_null1"}]')")"
bad_config "duplicate devargs" "ports[1].devargs|duplicate devargs" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0"}, {"name": "p2", "devargs": "net_null0"}]')")"
bad_config "port name with a space" "ports[0].name" \
    "$(config "$(ports '[{"name": "p 1", "devargs": "net_null0"}]')")"
bad_config "port name of digits" "ports[0].name|digits" \
    "$(config "$(ports '[{"name": "12", "devargs": "net_null0"}]')")"
bad_config "reserved port name" "ports[0].name|reserved" \
    "$(config "$(ports '[{"name": "local", "devargs": "net_null0"}]')")"
bad_config "port name too long" "ports[0].name" \
    "$(config "$(ports '[{"name": "p123456789012345678901234567890123", "devargs": "net_null0"}]')")"
bad_config "rx_desc not a power of two" "ports[0].rx_desc|power of two" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "rx_desc": 1000}]')")"
bad_config "rx_desc too small" "ports[0].rx_desc" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "rx_desc": 32}]')")"
bad_config "tx_desc too large" "ports[0].tx_desc" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "tx_desc": 32768}]')")"
bad_config "rx_desc a string" "ports[0].rx_desc|string" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "rx_desc": "1024"}]')")"
bad_config "rx_queues 0" "ports[0].rx_queues" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "rx_queues": 0}]')")"
bad_config "rx_queues a real" "ports[0].rx_queues|real" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "rx_queues": 1.5}]')")"
bad_config "mtu too small" "ports[0].mtu" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "mtu": 20}]')")"
bad_config "mtu too large" "ports[0].mtu" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0", "mtu": 65536}]')")"
bad_config "pmd_cores empty" "pmd_cores" "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": []')"
bad_config "pmd_cores duplicate" "pmd_cores[1]|duplicate" "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": [1, 1]')"
bad_config "pmd_cores negative" "pmd_cores[0]" "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": [-1]')"
bad_config "pmd_cores not an array" "pmd_cores: expected array" "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": 1')"
bad_config "mbufs a string" "mbufs: expected integer" "$(config "$(ports "$GOOD_PORTS")" '"mbufs": "many"')"
bad_config "mbufs 0" "mbufs" "$(config "$(ports "$GOOD_PORTS")" '"mbufs": 0')"
bad_config "relative control_socket" "control_socket|absolute" \
    "$(config "$(ports "$GOOD_PORTS")" '"control_socket": "x.sock"')"
bad_config "control_socket too long" "control_socket" \
    "$(config "$(ports "$GOOD_PORTS")" "\"control_socket\": \"/tmp/$(printf 'x%.0s' $(seq 1 120)).sock\"")"
bad_config "eal not an array" "eal: expected array" "$(config "$(ports "$GOOD_PORTS")" '"eal": "--no-huge"')"
bad_config "eal entry not a string" "eal[1]: expected string" "$(config "$(ports "$GOOD_PORTS")" '"eal": ["--no-huge", 5]')"
bad_config "flows not an array" "flows: expected array" "$(config "$(ports "$GOOD_PORTS")" '"flows": "in_port=p1,actions=drop"')"
bad_config "empty flow" "flows[0]" "$(config "$(ports "$GOOD_PORTS")" '"flows": [""]')"
bad_config "flow not a string" "flows[1]" "$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=drop", 7]')"
bad_config "openflow not an object" "openflow: expected object" "$(config "$(ports "$GOOD_PORTS")" '"openflow": []')"
bad_config "openflow unknown key" "openflow.bogus: unknown key" "$(config "$(ports "$GOOD_PORTS")" '"openflow": {"bogus": 1}')"
bad_config "openflow.listen not ptcp" "openflow.listen[0]" "$(config "$(ports "$GOOD_PORTS")" '"openflow": {"listen": ["tcp:6653"]}')"
bad_config "openflow.listen port 0" "openflow.listen[0]" "$(config "$(ports "$GOOD_PORTS")" '"openflow": {"listen": ["ptcp:0"]}')"
bad_config "openflow.controllers bad" "openflow.controllers[0]" "$(config "$(ports "$GOOD_PORTS")" '"openflow": {"controllers": ["tcp:host"]}')"
bad_config "openflow.fail_mode bad" "openflow.fail_mode" "$(config "$(ports "$GOOD_PORTS")" '"openflow": {"fail_mode": "open"}')"

# --- memory: checked against EAL's -m before EAL starts ---------------------
BIG_PORTS='[{"name": "p1", "devargs": "net_null0,no-rx=1", "rx_queues": 4, "rx_desc": 16384, "tx_desc": 16384},
            {"name": "p2", "devargs": "net_null1,no-rx=1", "rx_queues": 4, "rx_desc": 16384, "tx_desc": 16384}]'
BIG=$(config "$(ports "$BIG_PORTS")")
expect_fail "not enough memory for the mbufs (-m 70)" early "need|given|70" \
    --no-huge -m 70 --no-pci -l 0,1 --file-prefix "$PREFIX" --log-level='lib.*:error' -- -c "$BIG" -s "$SOCK"
# The same from the config's "eal".
BIG_EAL=$(config "$(ports "$BIG_PORTS")" \
    "\"eal\": [\"--no-huge\", \"-m\", \"70\", \"--no-pci\", \"-l\", \"0,1\", \"--file-prefix\", \"$PREFIX\"]")
expect_fail "not enough memory for the mbufs (config eal)" early "need|given" -c "$BIG_EAL" -s "$SOCK"
# Lots of mbufs asked for directly.
expect_fail "mbufs beyond -m" early "need|given" \
    "${EAL[@]}" -- -c "$(config "$(ports "$GOOD_PORTS")" '"mbufs": 10000000')" -s "$SOCK"

# --- flows: the config names every port, so these are config errors too ---
bad_config "flow with an unknown port" "flows[1]|nosuch" \
    "$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=output:p2", "in_port=nosuch,actions=output:p1"]')"
bad_config "flow with an unknown action" "flows[0]|frobnicate" \
    "$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=frobnicate"]')"
bad_config "flow without actions" "flows[0]|actions" \
    "$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1"]')"
bad_config "flow with priority out of range" "flows[0]|70000" \
    "$(config "$(ports "$GOOD_PORTS")" '"flows": ["priority=70000,in_port=p1,actions=drop"]')"
bad_config "flow output to a port number out of range" "flows[0]|output:3" \
    "$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=output:3"]')"

# --- found once EAL runs ----------------------------------------------------
bad_config_late "pmd core that does not exist" "pmd_cores[0]" \
    "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": [7]')"
bad_config_late "pmd core that is the main lcore" "pmd_cores[0]" \
    "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": [0]')"
bad_config_late "second pmd core that does not exist" "pmd_cores[1]" \
    "$(config "$(ports "$GOOD_PORTS")" '"pmd_cores": [1, 9]')"
bad_config_late "unknown driver" "p2|net_bogus0" \
    "$(config "$(ports '[{"name": "p1", "devargs": "net_null0"}, {"name": "p2", "devargs": "net_bogus0"}]')")"
bad_config_late "pcap input that does not exist" "p1" \
    "$(config "$(ports "[{\"name\": \"p1\", \"devargs\": \"net_pcap0,rx_pcap=$TMPD/nonexistent.pcap\"}]")")"
# net_pcap has one rx queue per rx_pcap file.
"$PYTHON" "$HELPER" pcap-gen "$TMPD" "q1=2" >/dev/null || fail "pcap-gen"
bad_config_late "more rx queues than the device has" "p1|rx_queues" \
    "$(config "$(ports "[{\"name\": \"p1\", \"devargs\": \"net_pcap0,rx_pcap=$TMPD/q1_in.pcap\", \"rx_queues\": 2}]")")"
mkdir "$TMPD/ro"
touch "$TMPD/ro/file"
# (No -s here: it would replace the config's control_socket.)
expect_fail "control socket directory cannot be made" late "control socket|not a directory" \
    "${EAL[@]}" -- -c "$(config "$(ports "$GOOD_PORTS")" "\"control_socket\": \"$TMPD/ro/file/ctl.sock\"")"

# --- the command line -------------------------------------------------------
GOOD=$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=output:p2"]')
expect_fail "no config" early "-c" "${EAL[@]}" -- -s "$SOCK"
expect_fail "no config, no EAL" early "-c"
expect_fail "-c without its value" early "-c" "${EAL[@]}" -- -c
expect_fail "unknown option" early "--frobnicate" "${EAL[@]}" -- -c "$GOOD" -s "$SOCK" --frobnicate
expect_fail "stray argument" early "stray" "${EAL[@]}" -- -c "$GOOD" -s "$SOCK" stray
expect_fail "bad --log-level" early "--log-level|loud" "${EAL[@]}" -- -c "$GOOD" -s "$SOCK" --log-level loud
# EAL itself rejects an option: EAL prints its own complaint, so only the
# exit status and our last line are checked.
run timeout 60 "$NFVSWITCH" --no-huge -m 256 --file-prefix "$PREFIX" --bogus-eal-option -- -c "$GOOD" -s "$SOCK"
assert_eq "bad EAL option: exit status" "$RC" 1
assert_contains "bad EAL option" "$(printf '%s\n' "$ERR" | tail -n 1)" "nfvswitch: "
[ -e "$SOCK" ] && fail "bad EAL option: left $SOCK behind"
pass

# --- what must succeed ------------------------------------------------------
run timeout 60 "$NFVSWITCH" "${EAL[@]}" -- -c "$GOOD" -s "$SOCK" --check
assert_ok "--check on a good config"
assert_contains "--check on a good config" "$OUT" "valid"
[ -e "$SOCK" ] && fail "--check created $SOCK"
pass
run timeout 60 "$NFVSWITCH" -c "$GOOD" --check
assert_ok "--check without EAL arguments"
run timeout 60 "$NFVSWITCH" -c "$BIG" --check
assert_ok "--check on big rings without -m (memory unknown)"
run timeout 60 "$NFVSWITCH" "${EAL[@]}" -- -c "$BIG" --check
assert_err "--check counts the memory given by -m" "nfvswitch: " "need" "given"
run timeout 60 "$NFVSWITCH" -c "$TMPD/syntax.json" --check
assert_err "--check on a bad config" "nfvswitch: " "line 3, column"
BADFLOW=$(config "$(ports "$GOOD_PORTS")" '"flows": ["in_port=p1,actions=output:p2", "in_port=p2,actions=output:nosuch"]')
run timeout 60 "$NFVSWITCH" -c "$BADFLOW" --check
assert_err "--check on a config with a bad flow" "nfvswitch: " "flows[1]" "nosuch"

run timeout 10 "$NFVSWITCH" --help
assert_ok "--help"
assert_contains "--help" "$OUT" "Usage"
assert_contains "--help" "$OUT" "--check"
run timeout 10 "$NFVSWITCH" -- --help
assert_ok "-- --help"
assert_contains "-- --help" "$OUT" "Usage"
run timeout 10 "$NFVSWITCH" --version
assert_ok "--version"
assert_contains "--version" "$OUT" "0.1.0"
run timeout 10 "$NFVSWITCH" -V
assert_ok "-V"
assert_contains "-V" "$OUT" "0.1.0"

# nfvctl's own usage errors.
run timeout 10 "$NFVCTL" -s "$SOCK"
[ "$RC" -ne 0 ] || fail "nfvctl without a command succeeded"
pass
run timeout 10 "$NFVCTL" -s "$SOCK" version
assert_err "nfvctl with no daemon" "nfvctl: " "cannot connect"
