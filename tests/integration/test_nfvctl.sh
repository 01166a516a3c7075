#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# nfvctl and the control socket against a running daemon.
#
# Ports: "src" (net_pcap, reads 64 packets once at start), "r1" (net_ring,
# whose tx ring is its own rx ring) and two net_null sinks. The config's
# flows send src to r1 and r1 back out of itself (in_port), so the 64
# packets keep circulating: exactly 64 mbufs are in use and r1's counters
# keep growing until the hairpin flow is deleted, when exactly 64 packets
# are dropped as table misses and the pool is back to 0 in use.
#
# Checks every command in human and --json form, flow add/dump/delete with
# filters, error messages, malformed requests on the raw socket, many
# clients at once, a second daemon on the same socket, and shutdown by
# nfvctl and by SIGTERM (idle, and with packets in flight).
source "$(dirname "$0")/lib.sh"
nfv_init

N_SRC=64
INPUTS=$("$PYTHON" "$HELPER" pcap-gen "$TMPD" "src=$N_SRC") || fail "pcap-gen"
SRC_BYTES=$(jget "$INPUTS" "j['src']['bytes']")
SOCK="$TMPD/run/ctl.sock"      # the daemon creates the directory
MBUFS=20000

write_config() {    # FILE PREFIX FLOW...
    local file=$1 prefix=$2 flows="" f
    shift 2
    for f in "$@"; do
        [ -n "$flows" ] && flows+=", "
        flows+="\"$f\""
    done
    cat >"$file" <<EOF
{
  "eal": $(nfv_eal_json "$prefix"),
  "pmd_cores": [1],
  "control_socket": "$SOCK",
  "mbufs": $MBUFS,
  "ports": [
    {"name": "src", "devargs": "net_pcap0,rx_pcap=$TMPD/src_in.pcap,tx_pcap=$TMPD/src_out.pcap",
     "rx_desc": 256, "tx_desc": 256},
    {"name": "r1", "devargs": "net_ring0"},
    {"name": "n1", "devargs": "net_null0,no-rx=1"},
    {"name": "n2", "devargs": "net_null1,no-rx=1", "mtu": 1500, "rx_queues": 1}
  ],
  "flows": [$flows]
}
EOF
}

pool_field() {
    run "$NFVCTL" -s "$SOCK" --json show
    [ "$RC" -eq 0 ] || fail "nfvctl show: $ERR"
    jget "$OUT" "j['pools'][0]['$1']"
}
in_use_is() { [ "$(pool_field in_use)" -eq "$1" ]; }
port_counter() {    # PORT COUNTER
    run "$NFVCTL" -s "$SOCK" --json port-stats "$1"
    [ "$RC" -eq 0 ] || fail "nfvctl port-stats $1: $ERR"
    jget "$OUT" "j['ports'][0]['$2']"
}
pmd_field() {       # PYTHON-EXPRESSION on workers[0] as w
    run "$NFVCTL" -s "$SOCK" --json pmd-stats-show
    [ "$RC" -eq 0 ] || fail "nfvctl pmd-stats-show: $ERR"
    jget "$OUT" "(lambda w: $1)(j['workers'][0])"
}
flow_count() {
    run "$NFVCTL" -s "$SOCK" --json dump-flows
    [ "$RC" -eq 0 ] || fail "nfvctl dump-flows: $ERR"
    jget "$OUT" "len(j['flows'])"
}

nfv_prefix main
PREFIX=$NFV_PREFIX
write_config "$TMPD/config.json" "$PREFIX" \
    "priority=10,in_port=src,actions=output:r1" \
    "priority=10,in_port=r1,actions=in_port"
# No EAL arguments and no -s: both come from the config.
nfv_start main -c "$TMPD/config.json"
MAIN_PID=$DAEMON_PID
nfv_wait_ready "$SOCK"
[ -S "$SOCK" ] || fail "$SOCK is not a socket"

# --- version, help ----------------------------------------------------------
ctl version
assert_ok "nfvctl version"
assert_contains "nfvctl version" "$OUT" "0.1.0"
ctlj version
assert_eq "version --json" "$(jget "$OUT" "j['version']")" "0.1.0"
assert_contains "version --json dpdk" "$(jget "$OUT" "j['dpdk']")" "22.11"

COMMANDS="version show port-stats pmd-stats-show pmd-stats-clear pmd-rxq-show dump-flows add-flow del-flows shutdown help"
ctl help
assert_ok "nfvctl help"
for c in $COMMANDS; do
    assert_contains "nfvctl help lists $c" "$OUT" "$c"
done
ctlj help
for c in $COMMANDS; do
    assert_eq "help --json has $c" "$(jget "$OUT" "len([x for x in j if x['name'] == '$c'])")" 1
done

# --- traffic: 64 packets circulate through r1 ------------------------------
wait_until "the $N_SRC packets of src are all circulating" "in_use_is $N_SRC"
assert_eq "pool size follows \"mbufs\"" "$(pool_field size)" $MBUFS
r1_before=$(port_counter r1 rx_packets)
wait_until "r1 keeps receiving" "[ \$(port_counter r1 rx_packets) -gt $r1_before ]"
assert_eq "src rx_packets" "$(port_counter src rx_packets)" $N_SRC
assert_eq "src rx_bytes" "$(port_counter src rx_bytes)" "$SRC_BYTES"
assert_eq "src tx_packets" "$(port_counter src tx_packets)" 0
assert_eq "no drops while circulating" "$(pmd_field "w['dropped']")" 0
assert_eq "still $N_SRC in use" "$(pool_field in_use)" $N_SRC

# --- show -------------------------------------------------------------------
ctl show
assert_ok "nfvctl show"
for p in src r1 n1 n2; do
    assert_contains "nfvctl show names $p" "$OUT" "$p"
done
ctlj show
SHOW=$OUT
assert_eq "show workers" "$(jget "$SHOW" "j['workers']")" 1
assert_eq "show flows" "$(jget "$SHOW" "j['flows']")" 2
assert_ge "show uptime_s" "$(jget "$SHOW" "j['uptime_s']")" 0
assert_eq "show ports" "$(jget "$SHOW" "[(p['name'], p['ofport'], p['driver'], p['mtu'], p['rx_queues'], p['tx_queues'], p['link_up']) for p in j['ports']]")" \
    '[["src", 1, "net_pcap", 1500, 1, 1, true], ["r1", 2, "net_ring", 1500, 1, 2, true], ["n1", 3, "net_null", 1500, 1, 2, true], ["n2", 4, "net_null", 1500, 1, 2, true]]'
assert_eq "show devargs" "$(jget "$SHOW" "[p['devargs'] for p in j['ports']][1:]")" \
    '["net_ring0", "net_null0,no-rx=1", "net_null1,no-rx=1"]'
for k in name ofport devargs driver link_up speed_mbps mtu rx_queues tx_queues rx_packets rx_bytes rx_dropped rx_errors tx_packets tx_bytes tx_dropped tx_errors; do
    assert_eq "show ports have $k" "$(jget "$SHOW" "all('$k' in p for p in j['ports'])")" true
done
for k in name socket size in_use avail; do
    assert_eq "show pools have $k" "$(jget "$SHOW" "'$k' in j['pools'][0]")" true
done

# --- port-stats -------------------------------------------------------------
ctl port-stats
assert_ok "nfvctl port-stats"
for p in src r1 n1 n2; do
    assert_contains "nfvctl port-stats names $p" "$OUT" "$p"
done
ctl port-stats src
assert_ok "nfvctl port-stats src"
assert_contains "nfvctl port-stats src" "$OUT" "src"
assert_not_contains "nfvctl port-stats src shows only src" "$OUT" "n2"
ctlj port-stats
assert_eq "port-stats --json ports" "$(jget "$OUT" "[p['name'] for p in j['ports']]")" '["src", "r1", "n1", "n2"]'
ctlj port-stats n1
assert_eq "port-stats n1 --json" "$(jget "$OUT" "[(p['name'], p['rx_packets'], p['tx_packets']) for p in j['ports']]")" '[["n1", 0, 0]]'
ctl port-stats vm9
assert_err "port-stats of an unknown port" "nfvctl: " "port 'vm9': no such port"
ctl --json port-stats vm9
assert_err "port-stats --json of an unknown port" "nfvctl: " "port 'vm9': no such port"

# --- pmd-rxq-show -----------------------------------------------------------
ctl pmd-rxq-show
assert_ok "nfvctl pmd-rxq-show"
for p in src r1 n1 n2; do
    assert_contains "nfvctl pmd-rxq-show names $p" "$OUT" "$p"
done
ctlj pmd-rxq-show
assert_eq "pmd-rxq-show --json" "$(jget "$OUT" "[(w['id'], w['lcore'], [(q['port'], q['queue']) for q in w['rxqs']]) for w in j['workers']]")" \
    '[[0, 1, [["src", 0], ["r1", 0], ["n1", 0], ["n2", 0]]]]'

# --- dump-flows -------------------------------------------------------------
ctl dump-flows
assert_ok "nfvctl dump-flows"
assert_contains "dump-flows text" "$OUT" " cookie=0x0, duration="
assert_contains "dump-flows text" "$OUT" "table=0, n_packets=$N_SRC, n_bytes=$SRC_BYTES, priority=10,in_port=src actions=output:r1"
assert_contains "dump-flows text" "$OUT" "priority=10,in_port=r1 actions="
ctlj dump-flows
assert_eq "dump-flows --json" "$(jget "$OUT" "[(f['table'], f['priority'], f['cookie'], f['match'], f['actions'].lower()) for f in j['flows']]")" \
    '[[0, 10, "0x0", "priority=10,in_port=src", "output:r1"], [0, 10, "0x0", "priority=10,in_port=r1", "in_port"]]'
assert_eq "dump-flows n_packets of src" "$(jget "$OUT" "j['flows'][0]['n_packets']")" $N_SRC
assert_eq "dump-flows n_bytes of src" "$(jget "$OUT" "j['flows'][0]['n_bytes']")" "$SRC_BYTES"
assert_gt "dump-flows n_packets of the hairpin" "$(jget "$OUT" "j['flows'][1]['n_packets']")" $N_SRC

# --- stop the circulation: pool back to the baseline ------------------------
ctl del-flows in_port=r1
assert_ok "nfvctl del-flows in_port=r1"
ctlj dump-flows
assert_eq "hairpin flow gone" "$(jget "$OUT" "[f['match'] for f in j['flows']]")" '["priority=10,in_port=src"]'
wait_until "every mbuf back in the pool" "in_use_is 0"
wait_until "the $N_SRC packets dropped as table misses" "[ \$(pmd_field \"w['drops']['no-match']\") -ge $N_SRC ]"
ctlj pmd-stats-show
PMD=$OUT
assert_eq "pmd-stats-show drops" \
    "$(jget "$PMD" "{k: v for k, v in j['workers'][0]['drops'].items() if v}")" \
    "{\"no-match\": $N_SRC}"
assert_eq "pmd-stats-show dropped" "$(jget "$PMD" "j['workers'][0]['dropped']")" $N_SRC
assert_eq "pmd-stats-show: tx = rx - dropped" \
    "$(jget "$PMD" "j['workers'][0]['tx_packets'] == j['workers'][0]['rx_packets'] - $N_SRC")" true
assert_eq "pmd-stats-show busy_pct in 0..100" "$(jget "$PMD" "0 <= j['workers'][0]['busy_pct'] <= 100")" true
for k in id lcore socket rx_packets tx_packets dropped busy_cycles idle_cycles cycles_per_packet busy_pct drops; do
    assert_eq "pmd-stats-show has $k" "$(jget "$PMD" "'$k' in j['workers'][0]")" true
done
ctl pmd-stats-show
assert_ok "nfvctl pmd-stats-show"
assert_contains "nfvctl pmd-stats-show" "$OUT" "no-match: $N_SRC"
assert_contains "nfvctl pmd-stats-show" "$OUT" "packets dropped: $N_SRC"

ctl pmd-stats-clear
assert_ok "nfvctl pmd-stats-clear"
ctlj pmd-stats-show
assert_eq "counters after pmd-stats-clear" \
    "$(jget "$OUT" "[j['workers'][0][k] for k in ('rx_packets', 'tx_packets', 'dropped', 'busy_cycles')] + sorted(set(j['workers'][0]['drops'].values()))")" \
    "[0, 0, 0, 0, 0]"
ctlj pmd-stats-clear
assert_eq "pmd-stats-clear --json" "$OUT" "null"
# Clearing the pmd counters does not touch the ports'.
assert_eq "src rx_packets after pmd-stats-clear" "$(port_counter src rx_packets)" $N_SRC

# --- add-flow, dump-flows with filters, del-flows ---------------------------
ctl add-flow "table=0,priority=20,cookie=0x1234,idle_timeout=300,hard_timeout=600,in_port=n1,actions=output:n2"
assert_ok "add-flow with every field"
ctlj add-flow "priority=7,in_port=4,actions=output:1"
assert_eq "add-flow --json result" "$OUT" "null"
ctl add-flow "in_port=n2,actions=flood"
assert_ok "add-flow flood"
ctl add-flow "table=3,in_port=n1,actions=drop"
assert_ok "add-flow table 3"
assert_eq "flows after add-flow" "$(flow_count)" 5
ctlj show
assert_eq "show flows after add-flow" "$(jget "$OUT" "j['flows']")" 5

ctlj dump-flows "cookie=0x1234/0xffffffffffffffff"
assert_eq "dump-flows by cookie" "$(jget "$OUT" "len(j['flows'])")" 1
F="j['flows'][0]"
assert_eq "added flow fields" \
    "$(jget "$OUT" "[${F}[k] for k in ('table', 'priority', 'cookie', 'idle_timeout', 'hard_timeout', 'match', 'actions', 'n_packets', 'n_bytes')]")" \
    '[0, 20, "0x1234", 300, 600, "priority=20,in_port=n1", "output:n2", 0, 0]'
assert_contains "added flow text" "$(jget "$OUT" "${F}['text']")" \
    "cookie=0x1234, duration="
assert_contains "added flow text" "$(jget "$OUT" "${F}['text']")" \
    "table=0, n_packets=0, n_bytes=0, idle_timeout=300, hard_timeout=600, priority=20,in_port=n1 actions=output:n2"
ctlj dump-flows "in_port=n2"
assert_eq "dump-flows in_port=n2" "$(jget "$OUT" "[(f['priority'], f['match'], f['actions'].lower()) for f in j['flows']]")" \
    '[[32768, "in_port=n2", "flood"], [7, "priority=7,in_port=n2", "output:src"]]'
# Same match and priority: replaces the flood rule.
ctl add-flow "in_port=n2,actions=all"
assert_ok "add-flow replacing a rule"
assert_eq "flows after replacing" "$(flow_count)" 5
ctlj dump-flows "in_port=n2,priority=32768"
assert_eq "replaced rule's actions" "$(jget "$OUT" "[f['actions'].lower() for f in j['flows'] if f['priority'] == 32768]")" '["all"]'
ctlj dump-flows "in_port=n1"
assert_eq "dump-flows in_port=n1 spans tables" "$(jget "$OUT" "[(f['table'], f['priority']) for f in j['flows']]")" '[[0, 20], [3, 32768]]'
ctlj dump-flows "table=3"
assert_eq "dump-flows table=3" "$(jget "$OUT" "[(f['table'], f['match'], f['actions']) for f in j['flows']]")" '[[3, "in_port=n1", "drop"]]'
ctl dump-flows "in_port=n1"
assert_ok "nfvctl dump-flows in_port=n1"
assert_contains "dump-flows filter (human)" "$OUT" "in_port=n1"
assert_not_contains "dump-flows filter (human)" "$OUT" "in_port=src"

ctlj del-flows "in_port=n1"
assert_eq "del-flows in_port=n1" "$(jget "$OUT" "j['deleted']")" 2
ctlj del-flows "in_port=n1"
assert_eq "del-flows in_port=n1 again" "$(jget "$OUT" "j['deleted']")" 0
ctlj dump-flows
assert_eq "flows left after del-flows in_port=n1" "$(jget "$OUT" "sorted(f['match'] for f in j['flows'])")" \
    '["in_port=n2", "priority=10,in_port=src", "priority=7,in_port=n2"]'
ctl del-flows "table=0,in_port=n2"
assert_ok "nfvctl del-flows table=0,in_port=n2"
assert_eq "flows left after del-flows in_port=n2" "$(flow_count)" 1

# --- bad flows and bad commands ---------------------------------------------
bad_flow() {        # DESCRIPTION FLOW NEEDLE
    ctl add-flow "$2"
    assert_err "add-flow $1 ($2)" "nfvctl: " "$3"
}
bad_flow "unknown in_port" "in_port=nosuch,actions=output:n1" "nosuch"
bad_flow "unknown output port" "in_port=n1,actions=output:nosuch" "nosuch"
bad_flow "output port number out of range" "in_port=n1,actions=output:9" "no such port"
# A match on a port that does not exist: rejected, or accepted as a rule
# that never matches; either way the daemon goes on (the snapshot indexes
# rules by in_port, so 99 > NFV_MAX_PORTS must not be written out of bounds).
for inp in 0 5 64 65 99 1000; do
    ctl add-flow "in_port=$inp,actions=output:n1"
    if [ "$RC" -eq 0 ]; then
        log "add-flow in_port=$inp (no such port) was accepted"
        ctlj dump-flows "in_port=$inp"
        assert_eq "flow on in_port=$inp dumped" "$(jget "$OUT" "len(j['flows'])")" 1
        ctlj del-flows "in_port=$inp"
        assert_eq "flow on in_port=$inp deleted" "$(jget "$OUT" "j['deleted']")" 1
    else
        assert_err "add-flow in_port=$inp (no such port)" "nfvctl: " "$inp"
    fi
    ctl version
    assert_ok "daemon alive after add-flow in_port=$inp"
done
bad_flow "no actions" "in_port=n1" "actions"
bad_flow "priority too large" "priority=70000,in_port=n1,actions=drop" "70000"
bad_flow "table too large" "table=254,in_port=n1,actions=drop" "254"
bad_flow "unknown action" "in_port=n1,actions=frobnicate" "frobnicate"
bad_flow "unknown field" "bogus=1,actions=drop" "bogus"
bad_flow "bad cookie" "cookie=xyz,in_port=n1,actions=drop" "xyz"
bad_flow "bad timeout" "idle_timeout=-1,in_port=n1,actions=drop" "idle_timeout"
bad_flow "empty flow" "" ""
ctl add-flow
[ "$RC" -ne 0 ] || fail "add-flow without a flow succeeded"
assert_contains "add-flow without a flow" "$ERR" "nfvctl: "
ctl dump-flows "in_port=nosuch"
assert_err "dump-flows with a bad filter" "nfvctl: " "nosuch"
ctl del-flows "in_port=nosuch"
assert_err "del-flows with a bad filter" "nfvctl: " "nosuch"
assert_eq "bad flows changed nothing" "$(flow_count)" 1

ctl frobnicate
assert_err "unknown command" "nfvctl: " "frobnicate"
ctl version extra-argument
[ "$RC" -ne 0 ] || fail "version with an extra argument succeeded: $OUT"
assert_contains "version with an extra argument" "$ERR" "nfvctl: "
pass

# --- the raw protocol and many clients --------------------------------------
run "$PYTHON" "$HELPER" ctl-proto "$SOCK"
[ "$RC" -eq 0 ] || fail "raw control protocol: $ERR $OUT"
log "raw protocol: $OUT"
pass
run "$PYTHON" "$HELPER" ctl-clients "$SOCK" 32
[ "$RC" -eq 0 ] || fail "many clients: $ERR $OUT"
log "many clients: $OUT"
pass
pids=()
for i in $(seq 1 16); do
    case $((i % 4)) in
        0) args=(show) ;;
        1) args=(dump-flows) ;;
        2) args=(port-stats r1) ;;
        3) args=(pmd-stats-show) ;;
    esac
    "$NFVCTL" -s "$SOCK" --json "${args[@]}" >"$TMPD/client.$i.out" 2>"$TMPD/client.$i.err" &
    pids+=($!)
done
for i in "${!pids[@]}"; do
    rc=0
    wait "${pids[$i]}" || rc=$?
    n=$((i + 1))
    assert_eq "parallel nfvctl $n exit status ($(cat "$TMPD/client.$n.err"))" $rc 0
    "$PYTHON" "$HELPER" json "type(j).__name__" <"$TMPD/client.$n.out" >/dev/null ||
        fail "parallel nfvctl $n printed no JSON"
done
ctl version
assert_ok "nfvctl version after the protocol tests"

# --- a second daemon on the same socket is refused --------------------------
nfv_prefix second
PREFIX2=$NFV_PREFIX
cat >"$TMPD/second.json" <<EOF
{"eal": $(nfv_eal_json "$PREFIX2"), "control_socket": "/nonexistent/x.sock",
 "ports": [{"name": "x1", "devargs": "net_null0,no-rx=1"}]}
EOF
# --log-level warning: without the port's startup line, the refusal is the
# only line on stderr.
run timeout 60 "$NFVSWITCH" -c "$TMPD/second.json" -s "$SOCK" --log-level warning
assert_err "second daemon on $SOCK" "nfvswitch: " "$SOCK" "in use"
[ -S "$SOCK" ] || fail "the refused daemon removed $SOCK"
pass
ctl version
assert_ok "first daemon still answers after the second was refused"
kill -0 "$MAIN_PID" 2>/dev/null || fail "first daemon died"
pass

# --- shutdown ---------------------------------------------------------------
ctlj shutdown
assert_eq "shutdown --json result" "$OUT" "null"
nfv_wait_exit "$MAIN_PID"
assert_eq "exit status after nfvctl shutdown" "$EXIT_RC" 0
[ -e "$SOCK" ] && fail "$SOCK left behind after shutdown"
pass
ctl version
assert_err "nfvctl with no daemon" "nfvctl: " "cannot connect"
ctl --json show
assert_err "nfvctl --json with no daemon" "nfvctl: " "cannot connect"

# --- SIGTERM, idle ----------------------------------------------------------
nfv_prefix term
PREFIX3=$NFV_PREFIX
write_config "$TMPD/term.json" "$PREFIX3" "in_port=src,actions=output:n1"
nfv_start term -c "$TMPD/term.json"
nfv_wait_ready "$SOCK"
wait_until "src's packets sent to n1" "[ \$(port_counter n1 tx_packets) -eq $N_SRC ]"
assert_eq "mbufs in use when idle" "$(pool_field in_use)" 0
kill -TERM "$DAEMON_PID"
nfv_wait_exit "$DAEMON_PID"
assert_eq "exit status after SIGTERM" "$EXIT_RC" 0
[ -e "$SOCK" ] && fail "$SOCK left behind after SIGTERM"
pass

# --- SIGTERM with packets in flight (in r1's ring) --------------------------
nfv_prefix busy
PREFIX4=$NFV_PREFIX
write_config "$TMPD/busy.json" "$PREFIX4" \
    "in_port=src,actions=output:r1" "in_port=r1,actions=in_port"
nfv_start busy -c "$TMPD/busy.json"
nfv_wait_ready "$SOCK"
wait_until "the packets circulate again" "in_use_is $N_SRC"
kill -TERM "$DAEMON_PID"
nfv_wait_exit "$DAEMON_PID"
if [ "$EXIT_RC" -ne 0 ]; then
    fail "exit status after SIGTERM with $N_SRC packets in r1's ring: $EXIT_RC (expected 0: the daemon must drain its ports; log: $(grep -i mbuf "$TMPD/busy.log" | tail -2))"
fi
pass
