#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Golden test of the datapath: pcap files in, nfvswitch, pcap files out.
#
# Eight net_pcap ports, each reading its own input file once (b reads
# nothing) and writing what it sends to its own output file. The flows
# cover one output, two outputs, numbered ports, drop, a table miss, a
# shadowed lower-priority rule, a rule in a table other than 0, flood,
# in_port (hairpin) and output to the input port (dropped). Every packet
# carries a marker naming its input port and sequence number, so the test
# checks exactly which packets left which port, byte for byte and in
# order, and then every counter: port-stats, dump-flows n_packets/n_bytes,
# pmd-stats-show drops and the mbuf pool. net_pcap writes its output when
# the port closes, so outputs are read after "nfvctl shutdown" has made
# the daemon exit 0.
source "$(dirname "$0")/lib.sh"
nfv_init

# Ports in OpenFlow order (a = 1 ... h = 8) and packets each one receives.
SPEC="a=10,b=0,c=7,d=4,e=3,f=2,g=3,h=2"
# What each port must send: the inputs of these ports, each exactly once.
EXPECT="a:f b:a,c,f c:f d:c,f e:f f: g:g,f h:f"
PORTS=(a b c d e f g h)
RX=(10 0 7 4 3 2 3 2)
TX=(2 19 2 9 2 0 5 2)
TOTAL_RX=31
TOTAL_TX=41

INPUTS=$("$PYTHON" "$HELPER" pcap-gen "$TMPD" "$SPEC") || fail "pcap-gen"
bytes_of() { jget "$INPUTS" "j['$1']['bytes']"; }

nfv_prefix main
PREFIX=$NFV_PREFIX
SOCK="$TMPD/ctl.sock"
ports_json=""
for i in "${!PORTS[@]}"; do
    p=${PORTS[$i]}
    devargs="net_pcap$i,tx_pcap=$TMPD/${p}_out.pcap"
    [ "${RX[$i]}" -gt 0 ] && devargs="net_pcap$i,rx_pcap=$TMPD/${p}_in.pcap,tx_pcap=$TMPD/${p}_out.pcap"
    [ -n "$ports_json" ] && ports_json+=","
    ports_json+="
    {\"name\": \"$p\", \"devargs\": \"$devargs\", \"rx_desc\": 256, \"tx_desc\": 256}"
done

cat >"$TMPD/config.json" <<EOF
{
  "pmd_cores": [1],
  "control_socket": "/nonexistent/overridden-by-s.sock",
  "ports": [$ports_json
  ],
  "flows": [
    "table=0,priority=10,in_port=a,actions=output:b",
    "table=0,priority=5,in_port=a,actions=output:e",
    "priority=10,in_port=3,actions=output:2,output:d",
    "in_port=d,actions=drop",
    "table=1,in_port=e,actions=output:a",
    "in_port=f,actions=flood",
    "in_port=g,actions=in_port",
    "cookie=0x2a,in_port=h,actions=output:h"
  ]
}
EOF

nfv_eal_args "$PREFIX"
nfv_start main "${NFV_EAL[@]}" -- -c "$TMPD/config.json" -s "$SOCK"
nfv_wait_ready "$SOCK"

# Every input is read at start; wait until the worker has handled them all
# (its rx counter is updated after the burst was sent or dropped).
worker_rx() {
    run "$NFVCTL" -s "$SOCK" --json pmd-stats-show
    [ "$RC" -eq 0 ] && [ "$(jget "$OUT" "sum(w['rx_packets'] for w in j['workers'])")" -ge $TOTAL_RX ]
}
wait_until "worker received all $TOTAL_RX input packets" worker_rx

# --- pmd-stats-show ---------------------------------------------------------
ctlj pmd-stats-show
PMD=$OUT
assert_eq "number of workers" "$(jget "$PMD" "len(j['workers'])")" 1
assert_eq "worker lcore" "$(jget "$PMD" "j['workers'][0]['lcore']")" 1
assert_eq "worker id" "$(jget "$PMD" "j['workers'][0]['id']")" 0
assert_eq "worker rx_packets" "$(jget "$PMD" "j['workers'][0]['rx_packets']")" $TOTAL_RX
assert_eq "worker tx_packets" "$(jget "$PMD" "j['workers'][0]['tx_packets']")" $TOTAL_TX
assert_eq "drops no-match (port e, table 1 not consulted)" \
    "$(jget "$PMD" "j['workers'][0]['drops']['no-match']")" 3
assert_eq "drops action-drop (port d)" "$(jget "$PMD" "j['workers'][0]['drops']['action-drop']")" 4
assert_eq "drops in-port (port h)" "$(jget "$PMD" "j['workers'][0]['drops']['in-port']")" 2
assert_eq "drops tx-full" "$(jget "$PMD" "j['workers'][0]['drops']['tx-full']")" 0
assert_eq "dropped = sum of drops" "$(jget "$PMD" "j['workers'][0]['dropped']")" 9
assert_eq "no other drop reason counted" \
    "$(jget "$PMD" "sorted(k for k, v in j['workers'][0]['drops'].items() if v)")" \
    '["action-drop", "in-port", "no-match"]'

# --- port-stats -------------------------------------------------------------
ctlj port-stats
STATS=$OUT
assert_eq "port-stats lists every port" "$(jget "$STATS" "[p['name'] for p in j['ports']]")" \
    '["a", "b", "c", "d", "e", "f", "g", "h"]'
# Bytes each port must send: the sum over the inputs it forwards.
declare -A TX_BYTES=()
for item in $EXPECT; do
    port=${item%%:*} srcs=${item#*:} sum=0
    for s in ${srcs//,/ }; do
        sum=$((sum + $(bytes_of "$s")))
    done
    TX_BYTES[$port]=$sum
done
for i in "${!PORTS[@]}"; do
    p=${PORTS[$i]}
    q="[x for x in j['ports'] if x['name'] == '$p'][0]"
    assert_eq "port $p ofport" "$(jget "$STATS" "${q}['ofport']")" $((i + 1))
    assert_eq "port $p rx_packets" "$(jget "$STATS" "${q}['rx_packets']")" "${RX[$i]}"
    assert_eq "port $p rx_bytes" "$(jget "$STATS" "${q}['rx_bytes']")" "$(bytes_of "$p")"
    assert_eq "port $p tx_packets" "$(jget "$STATS" "${q}['tx_packets']")" "${TX[$i]}"
    assert_eq "port $p tx_bytes" "$(jget "$STATS" "${q}['tx_bytes']")" "${TX_BYTES[$p]}"
    for c in rx_dropped rx_errors tx_dropped tx_errors; do
        assert_eq "port $p $c" "$(jget "$STATS" "${q}['$c']")" 0
    done
done
ctlj port-stats c
assert_eq "port-stats c: one port" "$(jget "$OUT" "[p['name'] for p in j['ports']]")" '["c"]'
assert_eq "port-stats c: rx_packets" "$(jget "$OUT" "j['ports'][0]['rx_packets']")" 7

# --- dump-flows -------------------------------------------------------------
ctlj dump-flows
FLOWS=$OUT
assert_eq "number of flows" "$(jget "$FLOWS" "len(j['flows'])")" 8
# flow_field MATCH_SUBSTRING PRIORITY TABLE FIELD
flow_field() {
    jget "$FLOWS" "[f for f in j['flows'] if ('in_port=$1' in f['match']) and f['priority'] == $2 and f['table'] == $3][0]['$4']"
}
check_flow() {      # PORT PRIORITY TABLE N_PACKETS SOURCE-PORT-FOR-BYTES
    local n bytes=0
    n=$(jget "$FLOWS" "len([f for f in j['flows'] if 'in_port=$1' in f['match'] and f['priority'] == $2 and f['table'] == $3])")
    assert_eq "one flow in_port=$1 priority=$2 table=$3" "$n" 1
    assert_eq "flow in_port=$1 priority=$2 table=$3 n_packets" "$(flow_field "$1" "$2" "$3" n_packets)" "$4"
    [ "$4" -gt 0 ] && bytes=$(bytes_of "$5")
    assert_eq "flow in_port=$1 priority=$2 table=$3 n_bytes" "$(flow_field "$1" "$2" "$3" n_bytes)" "$bytes"
}
check_flow a 10 0 10 a
check_flow a 5 0 0 a
check_flow c 10 0 7 c
check_flow d 32768 0 4 d
check_flow e 32768 1 0 e
check_flow f 32768 0 2 f
check_flow g 32768 0 3 g
check_flow h 32768 0 2 h
assert_eq "numbered ports shown by name" "$(flow_field c 10 0 actions)" "output:b,output:d"
assert_eq "actions of in_port=a" "$(flow_field a 10 0 actions)" "output:b"
assert_eq "actions of in_port=d" "$(flow_field d 32768 0 actions)" "drop"
assert_eq "cookie of in_port=h" "$(flow_field h 32768 0 cookie)" "0x2a"
assert_contains "text of in_port=a" "$(flow_field a 10 0 text)" "n_packets=10, n_bytes=$(bytes_of a), priority=10,in_port=a actions=output:b"
assert_contains "text of in_port=h" "$(flow_field h 32768 0 text)" "cookie=0x2a,"
# Order: table, then descending priority.
assert_eq "dump-flows order" \
    "$(jget "$FLOWS" "[(f['table'], f['priority']) for f in j['flows']] == sorted([(f['table'], f['priority']) for f in j['flows']], key=lambda t: (t[0], -t[1]))")" true

# --- show -------------------------------------------------------------------
ctlj show
SHOW=$OUT
assert_eq "show: workers" "$(jget "$SHOW" "j['workers']")" 1
assert_eq "show: flows" "$(jget "$SHOW" "j['flows']")" 8
expected_ports=""
for i in "${!PORTS[@]}"; do
    [ -n "$expected_ports" ] && expected_ports+=", "
    expected_ports+="[\"${PORTS[$i]}\", $((i + 1)), \"net_pcap\", 1500, 1, 1, true]"
done
assert_eq "show: ports (name, ofport, driver, mtu, rx_queues, tx_queues, link_up)" \
    "$(jget "$SHOW" "[(p['name'], p['ofport'], p['driver'], p['mtu'], p['rx_queues'], p['tx_queues'], p['link_up']) for p in j['ports']]")" \
    "[$expected_ports]"
assert_eq "show: devargs of a" "$(jget "$SHOW" "j['ports'][0]['devargs']")" \
    "net_pcap0,rx_pcap=$TMPD/a_in.pcap,tx_pcap=$TMPD/a_out.pcap"
assert_eq "show: one pool" "$(jget "$SHOW" "len(j['pools'])")" 1
assert_eq "show: no mbuf held after the traffic" "$(jget "$SHOW" "j['pools'][0]['in_use']")" 0
assert_eq "show: pool size = in_use + avail" \
    "$(jget "$SHOW" "j['pools'][0]['in_use'] + j['pools'][0]['avail'] == j['pools'][0]['size']")" true
assert_eq "show: counters agree with port-stats" \
    "$(jget "$SHOW" "[p['tx_packets'] for p in j['ports']]")" "[$(IFS=,; t="${TX[*]}"; echo "${t//,/, }")]"

# --- shutdown and the outputs -----------------------------------------------
ctl shutdown
assert_ok "nfvctl shutdown"
nfv_wait_exit "$DAEMON_PID"
assert_eq "nfvswitch exit status after shutdown" "$EXIT_RC" 0
[ -e "$SOCK" ] && fail "control socket $SOCK left behind"
pass

run "$PYTHON" "$HELPER" pcap-check "$TMPD" "$SPEC" "$EXPECT"
printf '%s\n' "$OUT"
[ "$RC" -eq 0 ] || fail "output pcaps differ from the expected ones: $ERR"
pass
