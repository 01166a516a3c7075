#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# OpenFlow 1.3 interoperability: nfvswitch against Open vSwitch's ovs-ofctl,
# an os-ken controller and hostile clients. One part per run:
#
#   test_openflow.sh ofctl       ovs-ofctl -O OpenFlow13 on the passive
#                                listener: show, flows (add, add-flows of
#                                1000, mod, del, strict, filters, counters,
#                                check_overlap), dump-*, packet-out, groups,
#                                port_mod, frags, errors (ovs-ofctl's text
#                                and raw requests from of_client.py), roles,
#                                and nfvctl seeing the same tables.
#   test_openflow.sh controller  the switch connects actively to an os-ken
#                                app (of_app.py): two hosts in network
#                                namespaces ping through it with the app as a
#                                learning switch (packet-in, packet-out,
#                                flow_mod), flow_removed for idle, hard and
#                                deleted flows, port_status for port_mod.
#                                Needs root (exits 77).
#   test_openflow.sh robust      traffic looping at full rate (net_pcap
#                                infinite_rx) while clients send garbage,
#                                flood 10,000 flow_mods, request flow stats
#                                without reading or read a 60,000-flow dump
#                                late: the switch keeps forwarding, serving
#                                ovs-ofctl and nfvctl, and answers whole;
#                                barrier semantics, port_mod on the
#                                datapath, shutdown with a SIGTERM on top.
#
# Every daemon listens on its own TCP port (derived from the PID) on
# 127.0.0.1; waits are bounded polls. Needs ovs-ofctl (openvswitch-common)
# and os-ken (python3-os-ken); exits 77 without them.
#
# wait_until evaluates its code later: single quotes on purpose; helper
# functions defined in a part are called from that code.
# shellcheck disable=SC2016,SC2317
source "$(dirname "$0")/lib.sh"

PART=${1:-}
case "$PART" in
    ofctl | controller | robust) ;;
    *)
        echo "usage: $0 ofctl|controller|robust" >&2
        exit 2
        ;;
esac
NFV_TEST_NAME="test_openflow-$PART"

command -v ovs-ofctl >/dev/null || skip "no ovs-ofctl (openvswitch-common)"
"$PYTHON" -c "import os_ken.ofproto.ofproto_v1_3_parser" 2>/dev/null ||
    skip "no os-ken for $PYTHON (python3-os-ken)"
if [ "$PART" == controller ]; then
    [ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
    command -v ip >/dev/null || skip "no iproute2"
    command -v ping >/dev/null || skip "no ping"
fi
nfv_init

OFCLIENT="$NFV_TEST_DIR/of_client.py"
OFAPP="$NFV_TEST_DIR/of_app.py"
SOCK="$TMPD/ctl.sock"

# A TCP port on 127.0.0.1 that nobody listens on, derived from the PID and
# $1 so that parallel runs (and the parts) do not collide.
pick_port() {       # SALT
    local p=$((20000 + ($$ * 7 + $1 * 1009) % 12000)) i
    for ((i = 0; i < 200; i++)); do
        if [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    fail "no free TCP port near $p"
}
OFPORT=$(pick_port 1)
TARGET="tcp:127.0.0.1:$OFPORT"

# ovs-ofctl [--OPTION...] CMD [ARGS...] against the switch: sets OUT, ERR
# and RC.
ofc() {
    local opts=()
    while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do
        opts+=("$1")
        shift
    done
    local cmd=$1
    shift
    run timeout 60 ovs-ofctl -O OpenFlow13 --timeout=30 "${opts[@]}" "$cmd" "$TARGET" "$@"
}
# The same, asserting success; leaves the output in OUT.
ofc_ok() {
    ofc "$@"
    [ "$RC" -eq 0 ] || fail "ovs-ofctl $*: exit $RC: $ERR $OUT"
    pass
}
# Asserts that ovs-ofctl CMD ARGS fails and its output names ERROR.
ofc_err() {         # ERROR CMD ARGS...
    local want=$1
    shift
    ofc "$@"
    [ "$RC" -ne 0 ] || fail "ovs-ofctl $*: succeeded, expected $want: $OUT"
    assert_contains "ovs-ofctl $*: error" "$OUT$ERR" "$want"
}
# dump-flows [ARGS] as lines without the header and the durations, in the
# switch's order.
flows_text() {
    ofc_ok dump-flows "$@"
    printf '%s\n' "$OUT" | grep -v '^OFPST_FLOW reply' |
        sed -E 's/ duration=[0-9.]+s,//' || true
}
# Number of flows that dump-flows [ARGS] lists.
flows_count() {
    ofc_ok dump-flows "$@"
    printf '%s\n' "$OUT" | grep -c 'n_packets=' || true
}
port_counter() {    # PORT FIELD (nfvctl)
    run "$NFVCTL" -s "$SOCK" --json port-stats "$1"
    [ "$RC" -eq 0 ] || fail "nfvctl port-stats $1: $ERR"
    jget "$OUT" "j['ports'][0]['$2']"
}
nfvctl_flow_count() {
    run "$NFVCTL" -s "$SOCK" --json dump-flows "$@"
    [ "$RC" -eq 0 ] || fail "nfvctl dump-flows $*: $ERR"
    jget "$OUT" "len(j['flows'])"
}
# Field of the OpenFlow connections that controller-show lists.
conn_field() {      # PYTHON-EXPRESSION on connections as c
    run "$NFVCTL" -s "$SOCK" --json controller-show
    [ "$RC" -eq 0 ] || fail "nfvctl controller-show: $ERR"
    jget "$OUT" "(lambda c: $1)(j['connections'])"
}

# Checks whose failure does not spoil the steps after them: a failure is
# reported at once and the test goes on, failing at its end (finish).
SOFT_FAILS=()
soft_fail() {
    printf '%s: FAIL (reported at the end): %s\n' "$NFV_TEST_NAME" "$*" >&2
    SOFT_FAILS+=("$*")
}
check_eq() {        # DESCRIPTION ACTUAL EXPECTED
    if [ "$2" == "$3" ]; then pass; else soft_fail "$1: got '$2', expected '$3'"; fi
}
check_contains() {  # DESCRIPTION HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) pass ;;
        *) soft_fail "$1: '$3' not in: $2" ;;
    esac
}
# ovs-ofctl CMD ARGS must fail naming ERROR (soft).
check_ofc_err() {   # ERROR CMD ARGS...
    local want=$1
    shift
    ofc "$@"
    if [ "$RC" -eq 0 ]; then
        soft_fail "ovs-ofctl $*: succeeded, expected $want"
    else
        check_contains "ovs-ofctl $*: error" "$OUT$ERR" "$want"
    fi
}
# Runs a Python helper that prints a JSON object with "failed": [...];
# its failures are soft, anything else (no JSON) is fatal.
check_helper() {    # DESCRIPTION COMMAND...
    local desc=$1 f
    shift
    run "$@"
    case "$OUT" in
        *'"failed"'*) ;;
        *) fail "$desc: exit $RC, no result: $ERR $OUT" ;;
    esac
    while IFS= read -r f; do
        [ -n "$f" ] && soft_fail "$desc: $f"
    done < <(jget "$OUT" "'\\n'.join(j['failed'])")
    if [ "$RC" -eq 0 ]; then pass; fi
    log "$desc: $(jget "$OUT" "j['checks']") checks, $(jget "$OUT" "len(j['failed'])") failed"
}
finish() {
    local f
    [ ${#SOFT_FAILS[@]} -eq 0 ] && return 0
    for f in "${SOFT_FAILS[@]}"; do
        printf '%s: FAIL: %s\n' "$NFV_TEST_NAME" "$f" >&2
    done
    fail "${#SOFT_FAILS[@]} checks failed (listed above)"
}

write_config() {    # PORTS-JSON OPENFLOW-JSON FLOWS-JSON
    cat >"$TMPD/config.json" <<EOF
{
  "pmd_cores": [1],
  "ports": [$1
  ],
  "openflow": $2,
  "flows": [$3]
}
EOF
}

start_switch() {
    nfv_prefix main
    nfv_eal_args "$NFV_PREFIX"
    nfv_start main "${NFV_EAL[@]}" -- -c "$TMPD/config.json" -s "$SOCK"
    nfv_wait_ready "$SOCK"
    SWITCH_PID=$DAEMON_PID
}

stop_switch() {
    ctl shutdown
    assert_ok "nfvctl shutdown"
    nfv_wait_exit "$SWITCH_PID"
    assert_eq "nfvswitch exit status after shutdown" "$EXIT_RC" 0
}

# A test packet: Ethernet/IPv4/UDP, $1 bytes of payload, hex.
packet_hex() {      # PAYLOAD-BYTES [DST-MAC-LAST-BYTE]
    local n=$1 last=${2:-02} pad
    pad=$(printf '%*s' "$n" '' | sed 's/ /5a/g')
    printf '0200000000%s0200000000010800' "$last"
    printf '4500%04x00010000401100000a0000070a000002' $((28 + n))
    printf '04d2162e%04x0000%s\n' $((8 + n)) "$pad"
}

# ===========================================================================
part_ofctl() {
    local inputs a_bytes pkt pkt_len line n before
    inputs=$("$PYTHON" "$HELPER" pcap-gen "$TMPD" "a=6") || fail "pcap-gen"
    a_bytes=$(jget "$inputs" "j['a']['bytes']")
    write_config "
    {\"name\": \"a\", \"devargs\": \"net_pcap0,rx_pcap=$TMPD/a_in.pcap,tx_pcap=$TMPD/a_out.pcap\"},
    {\"name\": \"b\", \"devargs\": \"net_pcap1,tx_pcap=$TMPD/b_out.pcap\"},
    {\"name\": \"c\", \"devargs\": \"net_null0,no-rx=1\"}" \
        "{\"listen\": [\"ptcp:$OFPORT:127.0.0.1\"], \"fail_mode\": \"secure\"}" \
        '"cookie=0x1,priority=10,in_port=a,actions=output:b"'
    start_switch
    # The six packets of a are read at start and go to b.
    wait_until "the 6 packets of a forwarded to b" '[ "$(port_counter b tx_packets)" -eq 6 ]'

    # --- show, dump-desc, features ----------------------------------------
    ofc_ok show
    assert_contains "show: features reply" "$OUT" "OFPT_FEATURES_REPLY (OF1.3)"
    assert_contains "show: tables and buffers" "$OUT" "n_tables:254, n_buffers:256"
    assert_contains "show: capabilities" "$OUT" \
        "capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS"
    assert_contains "show: port a" "$OUT" " 1(a): addr:02:70:63:61:70:00"
    assert_contains "show: port b" "$OUT" " 2(b): addr:02:70:63:61:70:01"
    assert_contains "show: port c" "$OUT" " 3(c): addr:"
    assert_contains "show: config" "$OUT" "frags=normal miss_send_len=128"
    # The datapath id is the first port's MAC.
    assert_contains "show: datapath id" "$OUT" "dpid:0000027063617000"
    ofc_ok dump-desc
    assert_contains "dump-desc: manufacturer" "$OUT" "Manufacturer: nfvswitch project"
    assert_contains "dump-desc: software" "$OUT" "Software: nfvswitch "
    assert_contains "dump-desc: dp description" "$OUT" "DP Description: nfvswitch"
    ofc_ok dump-table-features
    assert_contains "dump-table-features: table 0" "$OUT" 'table 0 ("table0"):'
    assert_contains "dump-table-features: instructions" "$OUT" \
        "instructions: apply_actions clear_actions write_actions write_metadata goto_table"
    ofc_ok meter-features
    assert_contains "meter-features: no meters" "$OUT" "max_meter:0"
    ofc_ok queue-stats
    assert_contains "queue-stats: no queues" "$OUT" "0 queues"

    # --- the config's flow, seen over OpenFlow -------------------------------
    assert_eq "dump-flows: the config's flow" "$(flows_text)" \
        " cookie=0x1, table=0, n_packets=6, n_bytes=$a_bytes, priority=10,in_port=1 actions=output:2"

    # --- add-flow ------------------------------------------------------------
    ofc_ok add-flow "table=0,priority=200,cookie=0x55,tcp,tp_dst=80,actions=set_field:10.1.1.1->ip_dst,goto_table:3"
    ofc_ok add-flow "table=0,priority=100,ip,nw_src=10.0.0.1,actions=output:3"
    ofc_ok add-flow "table=3,priority=5,actions=output:2,output:3"
    ofc_ok add-flow "table=0,priority=9,ipv6,ipv6_src=2001:db8::1,actions=dec_ttl,output:2"
    ofc_ok add-flow "table=0,priority=9,arp,arp_tpa=10.0.0.1,actions=write_metadata:0x5/0xff,goto_table:1"
    ofc_ok add-flow "table=0,priority=9,ip,nw_dst=10.9.0.0/16,actions=clear_actions,write_actions(output:2)"
    ofc_ok add-flow "table=1,priority=7,idle_timeout=300,hard_timeout=600,send_flow_rem,dl_vlan=5,actions=pop_vlan,output:2"
    ofc_ok add-flow "table=1,priority=6,dl_src=02:00:00:00:00:01/ff:ff:ff:00:00:00,actions=push_vlan:0x8100,set_field:4100->vlan_vid,output:3"
    assert_eq "dump-flows after add-flow" "$(flows_text)" \
" cookie=0x55, table=0, n_packets=0, n_bytes=0, priority=200,tcp,tp_dst=80 actions=set_field:10.1.1.1->ip_dst,goto_table:3
 cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=100,ip,nw_src=10.0.0.1 actions=output:3
 cookie=0x1, table=0, n_packets=6, n_bytes=$a_bytes, priority=10,in_port=1 actions=output:2
 cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=9,ipv6,ipv6_src=2001:db8::1 actions=dec_ttl,output:2
 cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=9,arp,arp_tpa=10.0.0.1 actions=write_metadata:0x5/0xff,goto_table:1
 cookie=0x0, table=0, n_packets=0, n_bytes=0, priority=9,ip,nw_dst=10.9.0.0/16 actions=clear_actions,write_actions(output:2)
 cookie=0x0, table=1, n_packets=0, n_bytes=0, idle_timeout=300, hard_timeout=600, send_flow_rem priority=7,dl_vlan=5 actions=pop_vlan,output:2
 cookie=0x0, table=1, n_packets=0, n_bytes=0, priority=6,dl_src=02:00:00:00:00:00/ff:ff:ff:00:00:00 actions=push_vlan:0x8100,set_field:4100->vlan_vid,output:3
 cookie=0x0, table=3, n_packets=0, n_bytes=0, priority=5 actions=output:2,output:3"
    # Filters of dump-flows.
    assert_eq "dump-flows table=3" "$(flows_count table=3)" 1
    assert_eq "dump-flows cookie=0x55/-1" "$(flows_count cookie=0x55/-1)" 1
    assert_eq "dump-flows out_port=3 (any table)" "$(flows_count out_port=3)" 3
    assert_eq "dump-flows ip (non-strict match)" "$(flows_count ip)" 3

    # nfvctl sees the same tables, with port names.
    assert_eq "nfvctl dump-flows: as many flows" "$(nfvctl_flow_count)" 9
    ctlj dump-flows "tcp"
    assert_eq "nfvctl: the flow from OpenFlow" \
        "$(jget "$OUT" "[(f['table'], f['priority'], f['cookie'], f['match'], f['actions']) for f in j['flows']]")" \
        '[[0, 200, "0x55", "priority=200,tcp,tp_dst=80", "mod_nw_dst:10.1.1.1,goto_table:3"]]'
    ctlj dump-flows "in_port=a"
    assert_eq "nfvctl: the config's flow" "$(jget "$OUT" "j['flows'][0]['match']")" "priority=10,in_port=a"
    # ... and OpenFlow sees nfvctl's flows.
    ctl add-flow "table=2,priority=44,in_port=b,actions=output:a"
    assert_ok "nfvctl add-flow"
    assert_eq "ovs-ofctl sees nfvctl's flow" "$(flows_text table=2)" \
        " cookie=0x0, table=2, n_packets=0, n_bytes=0, priority=44,in_port=2 actions=output:1"
    ctl del-flows "table=2"
    assert_ok "nfvctl del-flows table=2"

    # --- add-flows FILE: 1000 flows, more than one multipart reply -----------
    for ((n = 0; n < 1000; n++)); do
        printf 'table=5,priority=%d,cookie=0x5000,ip,nw_dst=10.5.%d.%d,actions=output:%d\n' \
            $((100 + n % 2)) $((n / 250)) $((n % 250)) $((2 + n % 2))
    done >"$TMPD/flows.txt"
    ofc_ok add-flows "$TMPD/flows.txt"
    assert_eq "add-flows: 1000 flows in table 5" "$(flows_count table=5)" 1000
    ofc_ok dump-flows table=5
    assert_ge "dump-flows table=5 came in several multipart replies" \
        "$(printf '%s\n' "$OUT" | grep -c '^OFPST_FLOW reply')" 2
    ofc_ok dump-aggregate table=5
    assert_contains "dump-aggregate table=5" "$OUT" "packet_count=0 byte_count=0 flow_count=1000"
    ofc_ok dump-aggregate
    assert_contains "dump-aggregate (all)" "$OUT" "packet_count=6 byte_count=$a_bytes flow_count=1009"
    ofc_ok dump-tables
    assert_contains "dump-tables: table 0" "$OUT" "$(printf '  table 0:\n    active=6,')"
    assert_contains "dump-tables: table 5" "$OUT" "$(printf '  table 5:\n    active=1000,')"
    assert_eq "nfvctl dump-flows table=5" "$(nfvctl_flow_count table=5)" 1000

    # --- mod-flows -----------------------------------------------------------
    # Non-strict: every flow of 10.5.1.0/24 (250), whatever its priority.
    ofc_ok mod-flows "table=5,ip,nw_dst=10.5.1.0/24,actions=output:1"
    assert_eq "mod-flows (non-strict): 250 flows to port 1" "$(flows_count table=5,out_port=1)" 250
    assert_eq "mod-flows: table 5 still 1000 flows" "$(flows_count table=5)" 1000
    # Strict: priority and match must be equal.
    ofc_ok --strict mod-flows "table=5,priority=101,ip,nw_dst=10.5.0.2,actions=drop"
    assert_eq "mod-flows --strict with another priority: no change" \
        "$(flows_text table=5,ip,nw_dst=10.5.0.2)" \
        " cookie=0x5000, table=5, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.5.0.2 actions=output:2"
    ofc_ok --strict mod-flows "table=5,priority=100,ip,nw_dst=10.5.0.2,actions=drop"
    assert_eq "mod-flows --strict" \
        "$(flows_text table=5,ip,nw_dst=10.5.0.2)" \
        " cookie=0x5000, table=5, n_packets=0, n_bytes=0, priority=100,ip,nw_dst=10.5.0.2 actions=drop"
    ofc_ok --strict mod-flows "table=5,ip,nw_dst=10.5.0.4,actions=drop"
    assert_eq "mod-flows --strict: the default priority is not 100" \
        "$(flows_count table=5,out_port=2,ip,nw_dst=10.5.0.4)" 1
    # Modify keeps the counters.
    ofc_ok --strict mod-flows "priority=10,in_port=1,actions=output:2,output:3"
    assert_eq "mod-flows keeps counters" "$(flows_text in_port=1)" \
        " cookie=0x1, table=0, n_packets=6, n_bytes=$a_bytes, priority=10,in_port=1 actions=output:2,output:3"
    # Modify with a cookie filter selects by cookie.
    ofc_ok mod-flows "table=5,cookie=0x6000/-1,ip,nw_dst=10.5.3.0/24,actions=drop"
    assert_eq "mod-flows with a cookie that matches nothing" "$(flows_count table=5,out_port=3,ip,nw_dst=10.5.3.0/24)" 125
    # In OpenFlow 1.3 modify never adds.
    ofc_ok mod-flows "table=6,ip,actions=drop"
    assert_eq "mod-flows on an empty table adds nothing" "$(flows_count table=6)" 0

    # --- packet-out ----------------------------------------------------------
    pkt=$(packet_hex 100)
    pkt_len=$(((${#pkt}) / 2))
    before=$(port_counter b tx_packets)
    ofc_ok packet-out "in_port=controller packet=$pkt actions=output:2"
    assert_eq "packet-out output:2: b sent one packet" "$(port_counter b tx_packets)" $((before + 1))
    ofc_ok dump-ports 2
    assert_contains "dump-ports 2 after packet-out" "$OUT" "tx pkts=7, bytes=$((a_bytes + pkt_len))"
    # Old syntax: IN_PORT ACTIONS PACKET.
    ofc_ok packet-out 1 output:2 "$(packet_hex 50 03)"
    assert_eq "packet-out (old syntax)" "$(port_counter b tx_packets)" $((before + 2))
    # output:TABLE from port a: the modified config flow sends it to b and c.
    before=$(port_counter c tx_packets)
    ofc_ok packet-out "in_port=1 packet=$(packet_hex 60 04) actions=table"
    assert_eq "packet-out to TABLE: b sent it" "$(port_counter b tx_packets)" 9
    assert_eq "packet-out to TABLE: c sent it" "$(port_counter c tx_packets)" $((before + 1))
    assert_contains "packet-out to TABLE counted by the flow" "$(flows_text in_port=1)" "n_packets=7,"
    ofc_ok --strict mod-flows "reset_counts,priority=10,in_port=1,actions=output:2,output:3"
    assert_contains "mod-flows reset_counts" "$(flows_text in_port=1)" "n_packets=0, n_bytes=0,"
    ofc_err OFPBAC_BAD_OUT_PORT packet-out "in_port=1 packet=$pkt actions=output:9"

    # --- del-flows -----------------------------------------------------------
    ofc_ok --strict del-flows "table=5,priority=100,ip,nw_dst=10.5.0.1"
    assert_eq "del-flows --strict with another priority: nothing" "$(flows_count table=5)" 1000
    ofc_ok --strict del-flows "table=5,priority=101,ip,nw_dst=10.5.0.1"
    assert_eq "del-flows --strict: one flow" "$(flows_count table=5)" 999
    # Without table=, ovs-ofctl says OFPTT_ALL: every table.
    ofc_ok --strict del-flows "priority=101,ip,nw_dst=10.5.0.3"
    check_eq "del-flows --strict without a table (OFPTT_ALL)" "$(flows_count table=5)" 998
    ofc_ok --strict del-flows "table=5,priority=101,ip,nw_dst=10.5.0.3"
    assert_eq "del-flows --strict table=5" "$(flows_count table=5)" 998
    before=$(flows_count table=5,out_port=3)
    assert_eq "flows of table 5 to port 3" "$before" $((500 - 2 - 125))
    ofc_ok del-flows "table=5,out_port=3"
    assert_eq "del-flows out_port=3: none left to port 3" "$(flows_count table=5,out_port=3)" 0
    assert_eq "del-flows out_port=3: the others stay" "$(flows_count table=5)" $((998 - before))
    ofc_ok --strict del-flows "table=5,priority=100,ip,nw_dst=10.5.1.0/24"
    assert_eq "del-flows --strict on a wider match: nothing" "$(flows_count table=5,ip,nw_dst=10.5.1.0/24)" 250
    ofc_ok del-flows "table=5,cookie=0x5001/-1"
    assert_eq "del-flows with another cookie: nothing" "$(flows_count table=5)" $((998 - before))
    ofc_ok del-flows "cookie=0x5000/-1,ip,nw_dst=10.5.1.0/24"
    assert_eq "del-flows cookie + match (all tables)" "$(flows_count table=5,ip,nw_dst=10.5.1.0/24)" 0
    ofc_ok del-flows "table=5"
    assert_eq "del-flows table=5" "$(flows_count table=5)" 0
    assert_eq "nfvctl agrees" "$(nfvctl_flow_count)" 9

    # --- check_overlap and errors from the switch, as ovs-ofctl shows them ----
    ofc_ok add-flow "check_overlap,table=1,priority=70,ip,actions=output:2"
    ofc_err OFPFMFC_OVERLAP add-flow "check_overlap,table=1,priority=70,ip,nw_src=1.2.3.4,actions=output:3"
    ofc_ok add-flow "check_overlap,table=1,priority=71,ip,nw_src=1.2.3.4,actions=output:3"
    ofc_ok add-flow "check_overlap,table=1,priority=70,arp,actions=output:3"
    ofc_err OFPFMFC_BAD_TABLE_ID add-flow "table=254,actions=drop"
    ofc_err OFPBAC_BAD_OUT_PORT add-flow "table=1,priority=1,actions=output:99"
    ofc_err OFPBAC_BAD_OUT_GROUP add-flow "table=1,priority=1,actions=group:99"
    ofc_err OFPBIC_UNSUP_INST add-flow "table=1,priority=1,actions=meter:1,output:2"
    ofc_err OFPMMFC_OUT_OF_METERS add-meter "meter=1,kbps,band=type=drop,rate=1000"
    # ovs-ofctl itself refuses a goto_table backwards; of_client.py sends
    # it raw below.
    ofc_err OFPBIC_BAD_TABLE_ID add-flow "table=3,priority=1,actions=goto_table:1"
    assert_eq "no flow added by the failed requests" "$(flows_count table=1)" 5

    # --- groups --------------------------------------------------------------
    ofc_ok add-group "group_id=1,type=all,bucket=output:2,bucket=output:3"
    ofc_ok add-group "group_id=2,type=select,bucket=weight:10,output:2,bucket=weight:20,output:3"
    ofc_ok add-group "group_id=3,type=ff,bucket=watch_port:2,output:2,bucket=watch_port:3,output:3"
    ofc_ok add-group "group_id=4,type=indirect,bucket=output:2"
    ofc_err OFPGMFC_GROUP_EXISTS add-group "group_id=1,type=all,bucket=output:2"
    ofc_ok dump-groups
    assert_eq "dump-groups" "$(printf '%s\n' "$OUT" | grep -v '^OFPST_GROUP_DESC')" \
" group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:3
 group_id=2,type=select,bucket=weight:10,actions=output:2,bucket=weight:20,actions=output:3
 group_id=3,type=ff,bucket=watch_port:2,actions=output:2,bucket=watch_port:3,actions=output:3
 group_id=4,type=indirect,bucket=actions=output:2"
    ofc_ok mod-group "group_id=4,type=indirect,bucket=output:3"
    ofc_ok dump-groups group_id=4
    assert_contains "mod-group" "$OUT" " group_id=4,type=indirect,bucket=actions=output:3"
    ofc_ok dump-group-features
    assert_contains "dump-group-features: types" "$OUT" "Types:  0xf"
    assert_contains "dump-group-features: fast failover" "$OUT" "fast failover group:"
    assert_contains "dump-group-features: max groups" "$OUT" "max_groups=0x10000"
    ctlj dump-groups
    assert_eq "nfvctl sees the groups" "$(jget "$OUT" "len(j['groups'])")" 4
    # A packet through group 1 goes out of b and c.
    ofc_ok add-flow "table=2,priority=3,actions=group:1"
    before=$(port_counter c tx_packets)
    ofc_ok packet-out "in_port=controller packet=$pkt actions=group:1"
    assert_eq "packet-out to group 1: c sent it" "$(port_counter c tx_packets)" $((before + 1))
    ofc_ok dump-group-stats group_id=1
    assert_contains "group 1 counted the packet" "$OUT" "packet_count=1,byte_count=$pkt_len,bucket0:packet_count=1,"
    assert_contains "group 1: bucket 1 counted the packet" "$OUT" "bucket1:packet_count=1,"
    check_contains "group 1: bucket byte counts" "$OUT" "bucket0:packet_count=1,byte_count=$pkt_len,bucket1:packet_count=1,byte_count=$pkt_len"
    # OpenFlow 1.3: ref_count is the number of flows that use the group.
    check_contains "group 1 ref_count (one flow uses it)" "$OUT" "ref_count=1,"
    ofc_ok del-groups group_id=2
    ofc_ok dump-groups
    assert_not_contains "del-groups group_id=2" "$OUT" "group_id=2,"
    assert_contains "del-groups group_id=2: group 1 stays" "$OUT" "group_id=1,"
    # OpenFlow 1.3, 6.5: deleting a group removes the flows that use it.
    ofc_ok del-groups group_id=1
    check_eq "del-groups: the flow using group 1 went with it" "$(flows_count table=2)" 0
    ofc_ok del-flows table=2
    ofc_ok del-groups
    ofc_ok dump-groups
    assert_eq "del-groups (all)" "$(printf '%s\n' "$OUT" | grep -c group_id= || true)" 0

    # --- port_mod --------------------------------------------------------------
    ofc_ok mod-port 3 no-forward
    ofc_ok dump-ports-desc 3
    assert_contains "mod-port no-forward: config" "$OUT" "config:     NO_FWD"
    before=$(port_counter c tx_packets)
    ofc_ok packet-out "in_port=controller packet=$pkt actions=output:3"
    assert_eq "no-forward: c sends nothing" "$(port_counter c tx_packets)" "$before"
    ofc_ok mod-port 3 forward
    ofc_ok packet-out "in_port=controller packet=$pkt actions=output:3"
    assert_eq "forward again: c sends" "$(port_counter c tx_packets)" $((before + 1))
    ofc_ok mod-port 2 down
    ofc_ok dump-ports-desc 2
    assert_contains "mod-port down: config" "$OUT" "config:     PORT_DOWN"
    ofc_ok mod-port 2 up
    ofc_ok dump-ports-desc
    assert_eq "every port's config back to 0" "$(printf '%s\n' "$OUT" | grep -c 'config:     0')" 3
    assert_contains "dump-ports-desc: b" "$OUT" " 2(b): addr:02:70:63:61:70:01"
    assert_contains "dump-ports-desc: state" "$OUT" "state:      LIVE"

    # --- dump-ports -----------------------------------------------------------
    ofc_ok dump-ports
    assert_contains "dump-ports: 3 ports" "$OUT" "OFPST_PORT reply (OF1.3) (xid=0x2): 3 ports"
    assert_contains "dump-ports: a received 6" "$OUT" "port  1: rx pkts=6, bytes=$a_bytes, drop=0, errs=0"
    ofc_ok dump-ports 2
    line=$(printf '%s\n' "$OUT" | grep 'tx pkts')
    assert_contains "dump-ports 2: tx" "$line" "tx pkts=$(port_counter b tx_packets), bytes=$(port_counter b tx_bytes), drop=0"

    # --- frags, config -----------------------------------------------------------
    ofc_ok get-frags
    assert_eq "get-frags" "$OUT" normal
    ofc_ok set-frags drop
    ofc_ok get-frags
    assert_eq "set-frags drop" "$OUT" drop
    ofc_ok set-frags normal

    # --- raw requests: every error code, roles ---------------------------------
    check_helper "of_client.py errors" "$PYTHON" "$OFCLIENT" errors "$OFPORT"
    check_helper "of_client.py roles" "$PYTHON" "$OFCLIENT" roles "$OFPORT"
    # Packet-ins and packet buffers: one 542-byte packet released to b, one
    # to c.
    local b_tx b_bytes c_tx
    b_tx=$(port_counter b tx_packets)
    b_bytes=$(port_counter b tx_bytes)
    c_tx=$(port_counter c tx_packets)
    check_helper "of_client.py packet-in" "$PYTHON" "$OFCLIENT" packet-in "$OFPORT"
    assert_eq "the buffered packet released by packet-out left b" \
        "$(port_counter b tx_packets) $(port_counter b tx_bytes)" "$((b_tx + 1)) $((b_bytes + 542))"
    assert_eq "the buffered packet released by flow_mod left c" "$(port_counter c tx_packets)" $((c_tx + 1))
    assert_eq "nothing added by the bad requests" "$(nfvctl_flow_count)" 12

    # check_overlap with the same match and priority is an overlap too
    # (OpenFlow 1.3, 6.4: a packet can match both).
    check_ofc_err OFPFMFC_OVERLAP add-flow "check_overlap,table=1,priority=70,ip,actions=output:3"
    check_contains "the first flow stays" "$(flows_text table=1,ip)" "priority=70,ip actions=output:2"

    # --- the packets that left b ---------------------------------------------------
    stop_switch
    run "$PYTHON" -B - "$TMPD/b_out.pcap" "$pkt" <<'EOF'
import sys
sys.path.insert(0, __import__("os").environ["NFV_TEST_DIR"])
import nfvtest
frames = nfvtest.read_pcap(sys.argv[1])
pkt = bytes.fromhex(sys.argv[2])
print(len(frames), sum(1 for f in frames if f == pkt))
EOF
    [ "$RC" -eq 0 ] || fail "reading b_out.pcap: $ERR"
    # 6 from a; packet-outs: output:2, old syntax, TABLE, group 1, and the
    # buffered packet.
    assert_eq "b_out.pcap: frames, and packet-outs of the test packet byte for byte" "$OUT" "11 2"
    finish
}

# ===========================================================================
# The app's JSON (of_app.py), and expressions on it.
app_get() {         # PYTHON-EXPRESSION on the app's state j
    local text
    text=$(cat "$APP_OUT" 2>/dev/null) || fail "no $APP_OUT"
    jget "$text" "$1"
}
app_true() { [ "$(app_get "$1")" == true ]; }

part_controller() {
    local ns1="nfvt$$-ns1" ns2="nfvt$$-ns2" v1="nfv$$a" v1p="nfv$$ap" \
        v2="nfv$$b" v2p="nfv$$bp" cport n pi
    cport=$(pick_port 2)
    APP_OUT="$TMPD/app.json"

    nfv_on_exit "ip netns del $ns1; ip netns del $ns2; ip link del $v1; ip link del $v2"
    setup_host() {  # NETNS ROOT-IFACE PEER-IFACE ADDRESS
        ip netns add "$1" || fail "ip netns add $1"
        ip link add "$2" type veth peer name "$3" || fail "ip link add $2"
        [ -e "/proc/sys/net/ipv6/conf/$2/disable_ipv6" ] &&
            echo 1 >"/proc/sys/net/ipv6/conf/$2/disable_ipv6"
        ip link set "$3" netns "$1" || fail "moving $3 into $1"
        ip netns exec "$1" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$3/disable_ipv6" 2>/dev/null || true
        ip netns exec "$1" ip link set lo up
        ip netns exec "$1" ip addr add "$4/24" dev "$3"
        ip netns exec "$1" ip link set "$3" up
        ip link set "$2" up
    }
    setup_host "$ns1" "$v1" "$v1p" 10.98.0.1
    setup_host "$ns2" "$v2" "$v2p" 10.98.0.2
    ip netns exec "$ns1" ip neigh flush all

    # The controller first: nfvswitch connects to it.
    OF_APP_OUT="$APP_OUT" OF_APP_MODE=learn OF_APP_IDLE=3 \
        "$PYTHON" -B -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 \
        --ofp-tcp-listen-port "$cport" "$OFAPP" >"$TMPD/app.log" 2>&1 &
    APP_PID=$!
    NFV_DAEMON_PIDS+=("$APP_PID")
    app_listening() {
        kill -0 "$APP_PID" 2>/dev/null || fail "os-ken exited: $(cat "$TMPD/app.log")"
        [ -n "$(ss -Hltn "sport = :$cport")" ]
    }
    wait_until "os-ken listens on $cport" app_listening

    write_config "
    {\"name\": \"v1\", \"devargs\": \"net_af_packet0,iface=$v1\", \"rx_desc\": 256, \"tx_desc\": 256},
    {\"name\": \"v2\", \"devargs\": \"net_af_packet1,iface=$v2\", \"rx_desc\": 256, \"tx_desc\": 256}" \
        "{\"listen\": [\"ptcp:$OFPORT:127.0.0.1\"], \"controllers\": [\"tcp:127.0.0.1:$cport\"], \"fail_mode\": \"secure\"}" \
        ""
    start_switch

    # --- the connection and the handshake ----------------------------------------
    wait_until "the switch connects to the app" \
        '[ "$(conn_field "[x[\"state\"] for x in c if x[\"active\"]]")" == "[\"CONNECTED\"]" ]'
    wait_until "the app saw the features and its barrier" \
        'app_true "len(j[\"switches\"]) == 1 and j[\"barriers\"] >= 1 and len(j[\"ports\"]) == 2 and len(j[\"role\"]) == 1"'
    assert_eq "features: tables, buffers" "$(app_get "[j['switches'][0][k] for k in ('n_tables', 'n_buffers')]")" "[254, 256]"
    ofc_ok show
    assert_contains "features: datapath id as ovs-ofctl sees it" "$OUT" \
        "dpid:$(app_get "j['switches'][0]['datapath_id']")"
    assert_eq "port desc: names and numbers" \
        "$(app_get "[(p['port_no'], p['name'], p['config']) for p in j['ports']]")" '[[1, "v1", 0], [2, "v2", 0]]'
    assert_eq "role reply: master, generation 1" "$(app_get "[(r['role'], r['generation_id']) for r in j['role']]")" "[[2, 1]]"
    assert_eq "no errors sent to the app" "$(app_get "j['errors']")" "[]"
    assert_eq "controller-show: the app is master" "$(conn_field "[(x['name'], x['role']) for x in c if x['active']]")" \
        "[[\"tcp:127.0.0.1:$cport\", \"master\"]]"
    assert_eq "the app's flows, as ovs-ofctl sees them" "$(flows_text)" \
" cookie=0x1d1e, table=0, n_packets=0, n_bytes=0, idle_timeout=2, send_flow_rem priority=100,dl_type=0x88b5 actions=drop
 cookie=0x4a4d, table=0, n_packets=0, n_bytes=0, hard_timeout=3, send_flow_rem priority=100,dl_type=0x88b6 actions=drop
 cookie=0xde1, table=0, n_packets=0, n_bytes=0, send_flow_rem priority=100,dl_type=0x88b7 actions=drop
 cookie=0x7ab1e, table=0, n_packets=0, n_bytes=0, priority=0 actions=CONTROLLER:65535"

    link_up() {
        run "$NFVCTL" -s "$SOCK" --json show
        [ "$RC" -eq 0 ] && [ "$(jget "$OUT" "all(p['link_up'] for p in j['ports'])")" == true ]
    }
    wait_until "both links up" link_up

    # --- ping through the app: packet-in, packet-out, flow_mod -------------------
    run ip netns exec "$ns1" ping -n -c 3 -i 0.2 -W 2 -s 1000 10.98.0.2
    [ "$RC" -eq 0 ] || fail "ping ns1 -> ns2 through the app failed: $OUT $ERR"
    assert_contains "ping through the app" "$OUT" "3 packets transmitted, 3 received"
    n=$(app_get "len(j['packet_in'])")
    assert_ge "packet-ins" "$n" 3
    pi="j['packet_in'][0]"
    assert_eq "first packet-in: ARP request from ns1 on port 1, table miss" \
        "$(app_get "[${pi}[k] for k in ('in_port', 'eth_type', 'eth_dst', 'reason', 'table_id', 'cookie')]")" \
        "[1, 2054, \"ff:ff:ff:ff:ff:ff\", 0, 0, $((0x7ab1e))]"
    assert_eq "packet-ins came in on both ports" "$(app_get "sorted(set(p['in_port'] for p in j['packet_in']))")" "[1, 2]"
    # The table-miss flow says max_len OFPCML_NO_BUFFER: the whole packet,
    # not buffered (OpenFlow 1.3, 7.2.5).
    check_eq "packet-ins of the 1042-byte echo requests: whole and unbuffered" \
        "$(app_get "sorted(set((p['total_len'], p['data_len'], p['buffer_id']) for p in j['packet_in'] if p['eth_type'] == 2048))")" \
        "[[1042, 1042, $((0xffffffff))]]"
    assert_ge "flows learned by the app" "$(app_get "len(j['learned_flows'])")" 2
    assert_eq "packet-outs: one per packet-in" "$(app_get "j['packet_out'] == len(j['packet_in'])")" true
    run "$NFVCTL" -s "$SOCK" --json controller-show
    assert_ge "controller-show: packet_in" "$(jget "$OUT" "j['packet_in']")" "$n"
    assert_eq "controller-show: none dropped" "$(jget "$OUT" "j['packet_in_dropped']")" 0
    # The learned flows carry the rest of the ping.
    ofc_ok dump-flows "cookie=0x1ea4/-1"
    assert_ge "learned flows in the switch" "$(printf '%s\n' "$OUT" | grep -c 'idle_timeout=3, send_flow_rem priority=10,in_port=')" 2
    assert_ge "learned flows forwarded packets" \
        "$(printf '%s\n' "$OUT" | grep -cE 'n_packets=([2-9]|[1-9][0-9]+), n_bytes=[0-9]{4,}' || true)" 2
    ctlj dump-flows "cookie=0x1ea4/0xffffffffffffffff"
    assert_ge "nfvctl sees the learned flows" "$(jget "$OUT" "len(j['flows'])")" 2

    # --- flow_removed --------------------------------------------------------------
    removed() {     # COOKIE
        app_get "[(r['reason'], r['priority'], r['idle_timeout'], r['hard_timeout'], r['packet_count']) for r in j['flow_removed'] if r['cookie'] == $(($1))]"
    }
    duration_of() { # COOKIE
        app_get "[r['duration_sec'] + r['duration_nsec'] / 1e9 for r in j['flow_removed'] if r['cookie'] == $(($1))][0]"
    }
    wait_until "flow_removed of the idle flow" 'app_true "any(r[\"cookie\"] == 0x1d1e for r in j[\"flow_removed\"])"'
    assert_eq "idle flow removed: reason IDLE_TIMEOUT" "$(removed 0x1d1e)" "[[0, 100, 2, 0, 0]]"
    assert_eq "idle flow removed after 2 to 3.5 s" \
        "$(app_get "2.0 <= $(duration_of 0x1d1e) <= 3.5")" true
    wait_until "flow_removed of the hard flow" 'app_true "any(r[\"cookie\"] == 0x4a4d for r in j[\"flow_removed\"])"'
    assert_eq "hard flow removed: reason HARD_TIMEOUT" "$(removed 0x4a4d)" "[[1, 100, 0, 3, 0]]"
    assert_eq "hard flow removed after 3 to 4.5 s" \
        "$(app_get "3.0 <= $(duration_of 0x4a4d) <= 4.5")" true
    ofc_ok del-flows "cookie=0xde1/-1"
    wait_until "flow_removed of the deleted flow" 'app_true "any(r[\"cookie\"] == 0xde1 for r in j[\"flow_removed\"])"'
    assert_eq "deleted flow removed: reason DELETE" "$(removed 0xde1)" "[[2, 100, 0, 0, 0]]"
    # The learned flows go idle once the ping is over (idle_timeout 3).
    wait_until "flow_removed of the learned flows" \
        'app_true "len([r for r in j[\"flow_removed\"] if r[\"cookie\"] == 0x1ea4]) >= 2"'
    assert_eq "learned flows removed: reason IDLE_TIMEOUT, with their counts" \
        "$(app_get "all(r['reason'] == 0 and r['packet_count'] >= 1 and r['byte_count'] >= 1000 and r['match'].get('in_port') in (1, 2) for r in j['flow_removed'] if r['cookie'] == 0x1ea4)")" true

    # --- port_status ----------------------------------------------------------------
    ofc_ok mod-port 2 no-packet-in
    wait_until "port_status after mod-port" 'app_true "len(j[\"port_status\"]) >= 1"'
    assert_eq "port_status: MODIFY of port 2, NO_PACKET_IN" \
        "$(app_get "[(p['reason'], p['port_no'], p['name'], p['config']) for p in j['port_status']]")" \
        '[[2, 2, "v2", 64]]'
    ofc_ok mod-port 2 packet-in
    wait_until "port_status after mod-port back" 'app_true "len(j[\"port_status\"]) >= 2"'
    assert_eq "port_status: config 0 again" "$(app_get "j['port_status'][1]['config']")" 0
    # (Link changes cannot be made here: net_af_packet reports its link up
    # from start to stop whatever the interface does.)

    # --- the other way, through the app again ----------------------------------------
    n=$(app_get "len(j['packet_in'])")
    ip netns exec "$ns2" ip neigh flush all
    run ip netns exec "$ns2" ping -n -c 2 -i 0.2 -W 2 10.98.0.1
    [ "$RC" -eq 0 ] || fail "ping ns2 -> ns1 through the app failed: $OUT $ERR"
    pass
    assert_gt "new packet-ins" "$(app_get "len(j['packet_in'])")" "$n"
    assert_eq "still no errors sent to the app" "$(app_get "j['errors']")" "[]"

    # The app goes away: the switch notices and tries to reconnect.
    nfv_kill_daemon "$APP_PID" || true   # (fails under set -e once it is gone)
    nfv_forget_pid "$APP_PID"
    wait_until "the switch sees the controller gone" \
        '[ "$(conn_field "[x[\"state\"] for x in c if x[\"active\"]]")" != "[\"CONNECTED\"]" ]'
    stop_switch
    finish
}

# Waits until the counter FIELD of PORT (nfvctl) grows past its value now.
wait_rising() {     # DESCRIPTION PORT FIELD
    local v0
    v0=$(port_counter "$2" "$3")
    wait_until "$1" "[ \"\$(port_counter $2 $3)\" -gt $v0 ]"
}

part_robust() {
    local n fifo nr_pid nr_out before
    # Port a loops over its input file for ever; flows send it to b.
    "$PYTHON" "$HELPER" pcap-gen "$TMPD" "a=8" >/dev/null || fail "pcap-gen"
    write_config "
    {\"name\": \"a\", \"devargs\": \"net_pcap0,rx_pcap=$TMPD/a_in.pcap,infinite_rx=1\"},
    {\"name\": \"b\", \"devargs\": \"net_null0,no-rx=1\"},
    {\"name\": \"c\", \"devargs\": \"net_null1,no-rx=1\"}" \
        "{\"listen\": [\"ptcp:$OFPORT:127.0.0.1\"], \"fail_mode\": \"secure\"}" \
        '"priority=10,in_port=a,actions=output:b"'
    start_switch
    wait_rising "b forwards a's packets" b tx_packets

    # --- BARRIER: once ovs-ofctl add-flow returns (it waits for the barrier
    # reply), the new flow is in force: b does not send one more packet.
    ofc_ok add-flow "priority=20,in_port=1,actions=output:3"
    before=$(port_counter b tx_packets)
    wait_rising "the new flow sends a to c" c tx_packets
    assert_eq "after the barrier reply b sent nothing more" "$(port_counter b tx_packets)" "$before"
    # Without table=, ovs-ofctl says OFPTT_ALL: every table.
    ofc_ok --strict del-flows "priority=20,in_port=1"
    check_eq "del-flows --strict without a table (OFPTT_ALL)" "$(flows_count "in_port=1,out_port=3")" 0
    ofc_ok --strict del-flows "table=0,priority=20,in_port=1"
    assert_eq "del-flows --strict table=0" "$(flows_count "in_port=1,out_port=3")" 0
    before=$(port_counter c tx_packets)
    wait_rising "b again after the delete" b tx_packets
    assert_eq "after the barrier reply c sent nothing more" "$(port_counter c tx_packets)" "$before"

    # --- garbage after HELLO ------------------------------------------------------
    check_helper "of_client.py garbage" "$PYTHON" "$OFCLIENT" garbage "$OFPORT"
    ofc_ok show
    assert_contains "ovs-ofctl show after the garbage" "$OUT" "n_tables:254"
    wait_rising "still forwarding after the garbage" b tx_packets

    # --- 10,000 flow_mods back to back, while forwarding ------------------------------
    # Into table 0, which a's packets go through (the new flows match
    # other addresses): the workers' caches are invalidated meanwhile.
    "$PYTHON" "$OFCLIENT" flood "$OFPORT" 10000 0 >"$TMPD/flood.json" 2>"$TMPD/flood.err" &
    local flood_pid=$!
    NFV_DAEMON_PIDS+=("$flood_pid")
    # nfvctl answers while the flood runs (or right after: it is fast).
    ctl version
    assert_ok "nfvctl version during the flood"
    wait_rising "forwarding during the flood" b tx_packets
    wait "$flood_pid" || fail "of_client.py flood: $(cat "$TMPD/flood.err")"
    nfv_forget_pid "$flood_pid"
    pass
    log "flood: $(cat "$TMPD/flood.json")"
    assert_eq "flood: no errors" "$(jget "$(cat "$TMPD/flood.json")" "j['failed']")" "[]"
    ofc_ok dump-aggregate cookie=0xf100d/-1
    assert_contains "flood: 10,000 flows" "$OUT" "flow_count=10000"
    assert_eq "nfvctl sees them" "$(nfvctl_flow_count table=0)" 10001
    wait_rising "still forwarding after the flood" b tx_packets
    run "$NFVCTL" -s "$SOCK" --json pmd-stats-show
    assert_eq "no table misses: the flood did not disturb a->b" \
        "$(jget "$OUT" "sum(w['drops']['no-match'] for w in j['workers'])")" 0

    # --- a client that asks for flow stats and never reads ----------------------------
    # 200 dumps of 10,001 flows (about 1 MB each) queued for a client that
    # reads nothing: the switch must not stall, nor block others.
    fifo="$TMPD/noread.fifo"
    mkfifo "$fifo"
    nr_out="$TMPD/noread.out"
    "$PYTHON" "$OFCLIENT" noread "$OFPORT" 200 60 <"$fifo" >"$nr_out" 2>"$TMPD/noread.err" &
    nr_pid=$!
    NFV_DAEMON_PIDS+=("$nr_pid")
    exec 7>"$fifo"      # holds the client until closed
    wait_until "the non-reading client sent its requests" '[ -s "$nr_out" ]'
    # (It may stop reading a client that does not read: then not all 200
    # go in.)
    log "non-reading client: $(head -n 1 "$nr_out")"
    assert_ge "the switch took requests" "$(jget "$(head -n 1 "$nr_out")" "j['sent']")" 1
    assert_eq "controller-show lists the non-reading client" "$(conn_field "len(c)")" 1
    ofc_ok show
    assert_contains "ovs-ofctl show while a client does not read" "$OUT" "n_tables:254"
    ofc_ok dump-aggregate
    assert_contains "dump-aggregate while a client does not read" "$OUT" "flow_count=10001"
    ofc_ok dump-flows
    assert_eq "a full dump-flows while a client does not read" \
        "$(printf '%s\n' "$OUT" | grep -c 'n_packets=')" 10001
    ctl version
    assert_ok "nfvctl while a client does not read"
    wait_rising "forwarding while a client does not read" b tx_packets
    # Now it reads: what it gets must be whole replies.
    exec 7>&-
    wait "$nr_pid" || true
    nfv_forget_pid "$nr_pid"
    log "non-reading client, then reading: $(tail -n 1 "$nr_out")"
    check_helper "of_client.py noread" cat <(tail -n 1 "$nr_out")

    # --- a large dump read by a slow controller -------------------------------------
    # 60,001 flows (about 5.5 MB of replies, more than the socket buffers
    # and the switch's output queue hold) asked for by a client that waits
    # a second before reading: the reply must still arrive whole.
    check_helper "of_client.py flood 50000" "$PYTHON" "$OFCLIENT" flood "$OFPORT" 50000 9
    assert_eq "60,001 flows" "$(nfvctl_flow_count)" 60001
    check_helper "of_client.py slowdump" "$PYTHON" "$OFCLIENT" slowdump "$OFPORT" 60001 1
    wait_rising "still forwarding after the large dump" b tx_packets

    # --- port_mod on the datapath -------------------------------------------------
    ofc_ok mod-port 2 no-forward
    wait_until "no-forward: b stops sending" \
        'v=$(port_counter b tx_packets); sleep 0.2; [ "$(port_counter b tx_packets)" -eq "$v" ]'
    ofc_ok mod-port 2 forward
    wait_rising "forward: b sends again" b tx_packets
    # OFPPC_NO_RECV: packets received on a are dropped (OpenFlow 1.3,
    # 7.2.1), so b stops sending.
    ofc_ok mod-port 1 no-receive
    n=0
    for i in 1 2 3 4 5 6 7 8 9 10; do
        before=$(port_counter b tx_packets)
        sleep 0.2
        if [ "$(port_counter b tx_packets)" -eq "$before" ]; then
            n=1
            break
        fi
    done
    check_eq "no-receive on a: b stops sending" "$n" 1
    ofc_ok mod-port 1 receive
    wait_rising "receive again: b sends" b tx_packets

    # --- the end: everything still answers ---------------------------------------------
    ofc_ok del-flows "table=0,cookie=0xf100d/-1"
    assert_eq "the first flood's flows deleted" "$(nfvctl_flow_count)" 50001
    ctlj controller-show
    assert_eq "no connection left open" "$(jget "$OUT" "len(j['connections'])")" 0
    # Shutdown with 50,000 flows to free, and a SIGTERM on top while the
    # daemon exits (what a supervisor does when it is slow): still a clean
    # exit.
    ctl shutdown
    assert_ok "nfvctl shutdown"
    kill -TERM "$SWITCH_PID" 2>/dev/null || true
    nfv_wait_exit "$SWITCH_PID"
    check_eq "exit status after shutdown and SIGTERM" "$EXIT_RC" 0
    if [ "$EXIT_RC" -ne 0 ]; then
        log "nfvswitch log: $(tail -n 3 "$TMPD/main.log")"
    fi
    finish
}

export NFV_TEST_DIR
"part_$PART"
