#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Golden test of the OpenFlow 1.3 pipeline: pcap files in, nfvswitch,
# pcap files out, every output compared byte for byte with what scapy says
# the flows must make of the input (pipeline_check.py), plus the counters
# (dump-flows n_packets, dump-groups, pmd-stats-show drops and pktin,
# port-stats, dump-megaflows, fdb-show).
#
# Scenarios (each on its own ports, so its outputs are its own):
#   1 goto_table + write_metadata/metadata matches with masks
#   2 router-like rewrite (mod_dl_*, set_field, dec_ttl; TTL 1 dropped)
#   3 VLAN access/trunk: push_vlan + mod_vlan_vid, pop_vlan, dl_vlan
#   4 the action set: write_actions, clear_actions, set_field before
#     output, one output, not run on a table miss; apply-actions edits
#     seen by later tables
#   5 several outputs with edits in between (each sees the edits before it)
#   6 groups: all, select, indirect, fast_failover, group after output,
#     group in the action set (wins over output), a missing group
#   7 NORMAL (own daemon): flood, learn, unicast, per-VLAN, fdb-show
#   8 table miss without a rule (no-match) and a table-miss rule to the
#     controller (pktin)
#   9 (own daemon) a 64-entry megaflow cache that must evict: no packet
#     may get another flow's actions
#
# Runs: "main" (1-6, 8), "normal" (7), "evict" (9), one daemon each, one
# after the other. A mismatch of the output pcaps is reported at once and
# fails the test at the end; a counter mismatch fails it at once.
#
# Timing. net_pcap reads its rx file as soon as the workers start, and the
# config has no groups, so group traffic cannot come straight from a pcap
# port. It goes through a gate instead: gsrc (pcap) -> "ring", a net_ring
# port whose tx ring is its own rx ring, and a flow in_port=ring,
# actions=in_port keeps the packets circulating (as test_nfvctl.sh does).
# Once the groups are added, deleting that flow (del-flows --strict, which
# returns only when no worker uses the old rule) lets a lower-priority
# rule send every packet exactly once into table 10, where the group rules
# are. No root, no sleeps: every wait polls a counter with a bound.
#
# NORMAL depends on the order in which packets arrive, across ports: the
# worker polls its rx queues in port order, one burst each per iteration,
# and all pcap inputs are there from the first iteration, so n1's frames
# are switched before n2's, and n2's before n3's. The test checks that
# order with pmd-rxq-show first.
source "$(dirname "$0")/lib.sh"
nfv_init

CHECK="$NFV_TEST_DIR/pipeline_check.py"

# --- flows: cookie, expected n_packets ("-": not checked), flow ------------
FLOWS=()
flow() {            # COOKIE N_PACKETS FLOW
    FLOWS+=("$1|$2|cookie=$1,$3")
}

# 1. goto_table + metadata. 0x17 would match if table 1's write_metadata
# ignored its mask (metadata would be 0x300, not 0x302).
flow 0x11 4 "table=0,priority=100,in_port=m1,actions=write_metadata:0x1/0xff,goto_table:1"
flow 0x12 2 "table=0,priority=100,in_port=m2,actions=write_metadata:0x2/0xff,goto_table:1"
flow 0x13 3 "table=1,priority=20,metadata=0x1/0xff,ip,actions=output:mo1"
flow 0x14 1 "table=1,priority=10,metadata=0x1/0xff,actions=output:mo2"
flow 0x15 2 "table=1,priority=10,metadata=0x2/0xff,actions=write_metadata:0x300/0xff00,goto_table:2"
flow 0x16 2 "table=2,priority=10,metadata=0x302,actions=output:mo2"
flow 0x17 0 "table=2,priority=20,metadata=0x300,actions=output:mo1"
# 2. L3 rewrite. 6 packets to 10.1/16 (one with TTL 1), 2 tcp to port 80
# of 10.1.5/24 (one with TTL 1), 1 elsewhere.
flow 0x21 6 "priority=100,in_port=r1,ip,nw_dst=10.1.0.0/16,actions=mod_dl_src:02:00:00:00:aa:01,set_field:02:00:00:00:bb:02->eth_dst,dec_ttl,output:ro"
flow 0x22 2 "priority=110,in_port=r1,tcp,nw_dst=10.1.5.0/24,tp_dst=80,actions=mod_dl_src:02:00:00:00:aa:01,mod_dl_dst:02:00:00:00:bb:05,set_field:8080->tcp_dst,dec_ttl,output:ro"
flow 0x23 1 "priority=10,in_port=r1,actions=drop"
# 3. VLAN.
flow 0x31 3 "priority=100,in_port=vacc,actions=push_vlan:0x8100,mod_vlan_vid:100,output:vtrk"
flow 0x32 2 "priority=100,in_port=vtrk,dl_vlan=100,actions=pop_vlan,output:vacc"
flow 0x33 1 "priority=100,in_port=vtrk,dl_vlan=200,actions=strip_vlan,output:vacc2"
flow 0x34 2 "priority=10,in_port=vtrk,actions=drop"
# 4. The action set; one packet to each of 10.4.0.1..7.
flow 0x41 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.1,actions=write_actions(output:wo1),goto_table:5"
flow 0x42 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.2,actions=write_actions(output:wo2,mod_nw_dst:10.4.9.9),goto_table:5"
flow 0x43 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.3,actions=write_actions(mod_dl_dst:02:00:00:00:dd:03,output:wo1),goto_table:5"
flow 0x44 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.4,actions=output:wo1,write_actions(output:wo2),goto_table:5"
flow 0x45 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.5,actions=write_actions(output:wo1),goto_table:5"
flow 0x46 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.6,actions=write_actions(output:wo1),goto_table:5"
flow 0x47 1 "table=0,priority=100,in_port=win,ip,nw_dst=10.4.0.7,actions=mod_nw_dst:10.4.0.77,goto_table:5"
flow 0x48 1 "table=5,priority=100,ip,nw_dst=10.4.0.1,actions=clear_actions"
# Table 5 still sees 10.4.0.2: the action set has not run yet.
flow 0x49 1 "table=5,priority=100,ip,nw_dst=10.4.0.2,actions=write_actions(mod_nw_src:10.4.8.8)"
flow 0x4a 1 "table=5,priority=100,ip,nw_dst=10.4.0.3,actions=clear_actions,write_actions(output:wo2)"
flow 0x4b 1 "table=5,priority=100,ip,nw_dst=10.4.0.4,actions=write_actions(mod_dl_dst:02:00:00:00:ee:04)"
flow 0x4c 1 "table=5,priority=100,ip,nw_dst=10.4.0.5,actions=write_actions(output:wo2)"
flow 0x4d 1 "table=5,priority=100,ip,nw_dst=10.4.0.77,actions=output:wo1"
# 5. Several outputs.
flow 0x51 3 "in_port=xin,udp,actions=output:xob,mod_nw_dst:10.5.5.5,output:xoc,mod_tp_dst:9999,output:xod"
flow 0x52 2 "in_port=xin,tcp,actions=output:xob,mod_nw_src:10.5.0.99,output:xob"
# 8. Nothing for nm in table 0; cm ends in table 3's table-miss rule.
flow 0x81 4 "table=0,priority=100,in_port=cm,actions=goto_table:3"
flow 0x82 4 "table=3,priority=0,actions=controller"
# 6. Groups: 61 packets from gsrc, held in the ring until 0x62 goes.
flow 0x61 61 "table=0,priority=100,in_port=gsrc,actions=output:ring"
flow 0x62 - "table=0,priority=100,in_port=ring,actions=in_port"
flow 0x63 61 "table=0,priority=50,in_port=ring,actions=goto_table:10"
flow 0x64 3 "table=10,udp,nw_dst=10.6.1.0/24,actions=group:1"
flow 0x65 48 "table=10,udp,nw_dst=10.6.2.0/24,actions=group:2"
flow 0x66 2 "table=10,udp,nw_dst=10.6.3.0/24,actions=group:3"
flow 0x67 2 "table=10,udp,nw_dst=10.6.4.0/24,actions=group:4"
# g5a gets the packet before group 5 edits it (in its bucket): the original.
flow 0x68 2 "table=10,udp,nw_dst=10.6.5.0/24,actions=output:g5a,group:5"
flow 0x69 2 "table=10,udp,nw_dst=10.6.6.0/24,actions=group:6"
flow 0x6a 1 "table=10,udp,nw_dst=10.6.7.0/24,actions=write_actions(output:g1a,group:3)"
flow 0x6b 1 "table=10,udp,nw_dst=10.6.8.0/24,actions=group:8"

# group_id, expected packet_count, group
GROUP_SPECS=(
    "1|3|group_id=1,type=all,bucket=output:g1a,bucket=mod_nw_dst:10.6.1.99,output:g1b"
    "2|48|group_id=2,type=select,bucket=output:g2a,bucket=output:g2b"
    "3|3|group_id=3,type=indirect,bucket=mod_dl_dst:02:00:00:00:33:33,output:g3"
    "4|2|group_id=4,type=fast_failover,bucket=watch_port:99,output:g4a,bucket=watch_port:g4b,output:g4b"
    "5|2|group_id=5,type=indirect,bucket=mod_nw_dst:10.6.5.99,output:g5b"
    "6|2|group_id=6,type=fast_failover,bucket=watch_port:g4a,output:g4a,bucket=watch_port:g4b,output:g4b"
)

# Drops by reason once everything ran (others must stay 0):
#   no-match 4: nm's 3, the 10.4.0.6 miss in table 5
#   action-drop 4: r1 to 10.2.0.1, 2 on vtrk, 10.4.0.1's cleared set
#   ttl-expired 2 (r1), group 1 (group 8 does not exist)
EXPECT_DROPS='{"action-drop": 4, "no-match": 4, "ttl-expired": 2}'
EXPECT_DROPS_GROUPS='{"action-drop": 4, "group": 1, "no-match": 4, "ttl-expired": 2}'
EXPECT_PKTIN=4

# --- helpers ---------------------------------------------------------------

# Writes TMPD/RUN.json for the ports that "pipeline_check.py gen" printed
# (GEN) and the flows given. EXTRA_DATAPATH: more "datapath" settings.
write_config() {    # RUN FLOW...
    local run=$1 ports="" flows="" name rx i=0 devargs f
    shift
    while read -r name rx pcap; do
        devargs="net_pcap$i,tx_pcap=$TMPD/${name}_out.pcap"
        [ "$rx" == 1 ] && devargs="net_pcap$i,rx_pcap=$TMPD/${name}_in.pcap,tx_pcap=$TMPD/${name}_out.pcap"
        [ "$pcap" == 0 ] && devargs="net_ring$i"
        [ -n "$ports" ] && ports+=","
        ports+="
    {\"name\": \"$name\", \"devargs\": \"$devargs\", \"rx_desc\": 64, \"tx_desc\": 64}"
        i=$((i + 1))
    done < <(jget "$GEN" "'\n'.join('%s %d %d' % tuple(p) for p in j['ports'])")
    for f in "$@"; do
        [ -n "$flows" ] && flows+=","
        flows+="
    \"$f\""
    done
    # upcall_budget: on the first iteration every port's packets are new
    # flows; megaflow_idle_ms: megaflows are checked seconds later.
    cat >"$TMPD/$run.json" <<EOF
{
  "pmd_cores": [1],
  "mbufs": 8192,
  "datapath": {"upcall_budget": 4096,
               "megaflow_idle_ms": 600000${EXTRA_DATAPATH:-}},
  "ports": [$ports
  ],
  "flows": [$flows
  ]
}
EOF
}

start_daemon() {    # RUN
    nfv_prefix "$1"
    SOCK="$TMPD/$1.sock"
    nfv_eal_args "$NFV_PREFIX"
    nfv_start "$1" "${NFV_EAL[@]}" -- -c "$TMPD/$1.json" -s "$SOCK"
    nfv_wait_ready "$SOCK"
}

stop_daemon() {
    ctl shutdown
    assert_ok "nfvctl shutdown"
    nfv_wait_exit "$DAEMON_PID"
    assert_eq "nfvswitch exit status after shutdown (every mbuf back)" "$EXIT_RC" 0
}

# JSON of a command, failing the test if it fails.
json_of() {
    run "$NFVCTL" -s "$SOCK" --json "$@"
    [ "$RC" -eq 0 ] || fail "nfvctl $*: exit $RC: $ERR"
    printf '%s' "$OUT"
}

# Non-zero drop counters of the (single) worker, as a JSON object.
drops() {
    jget "$(json_of pmd-stats-show)" "{k: v for k, v in j['workers'][0]['drops'].items() if v}"
}

# Sum of tx_packets over the ports named (space-separated).
tx_sum() {
    jget "$(json_of port-stats)" "sum(p['tx_packets'] for p in j['ports'] if p['name'] in '$*'.split())"
}

# Checks port-stats against GEN: rx_packets, tx_packets, tx_dropped and
# tx_errors of every port but SKIP (ports whose counters are not fixed).
# Prints the ports that differ: {port: [got, expected]}.
check_port_stats() {    # SKIP...
    local skip="$*"
    assert_eq "port-stats [rx, tx, tx_dropped, tx_errors] that differ (got, expected)" \
        "$(jget "$(json_of port-stats)" "(lambda want: {p['name']: [[p['rx_packets'], p['tx_packets'], p['tx_dropped'], p['tx_errors']], want.get(p['name'])] for p in j['ports'] if p['name'] not in '$skip'.split() and [p['rx_packets'], p['tx_packets'], p['tx_dropped'], p['tx_errors']] != want.get(p['name'])})($(jget "$GEN" "{p: [j['rx'][p], j['tx'][p], 0, 0] for p in j['tx']}"))")" \
        "{}"
}

# Checks the dump-flows JSON DUMP: exactly the flows given (by cookie),
# each with its n_packets ("-": any). Prints the flows that differ:
# {cookie: [got, expected]} (null: no such flow / not expected).
check_flow_counters() { # DUMP FLOWS-ENTRY...
    local dump=$1 e cookie n want=""
    shift
    for e in "$@"; do
        cookie=${e%%|*} n=${e#*|} n=${n%%|*}
        [ "$n" == - ] && n=-1
        want+="'$cookie': $n, "
    done
    assert_eq "dump-flows n_packets that differ (got, expected)" \
        "$(jget "$dump" "(lambda w, g: {c: [g.get(c), w.get(c)] for c in set(w) | set(g) if c not in w or c not in g or (w[c] != -1 and w[c] != g[c])})({$want}, {f['cookie']: f['n_packets'] for f in j['flows']})")" \
        "{}"
    assert_eq "number of flows" "$(jget "$dump" "len(j['flows'])")" $#
}

# Compares the output pcaps of RUN with the golden ones. A mismatch is
# reported at once but fails the test only at the end, so that one run's
# mismatch does not hide the next run's results.
GOLDEN_FAILED=""
golden() {          # RUN
    run "$PYTHON" "$CHECK" check "$TMPD" "$1"
    printf '%s\n' "$OUT"
    if [ "$RC" -ne 0 ]; then
        printf '%s: FAIL: %s: output pcaps differ from the golden ones:\n%s\n' \
            "$NFV_TEST_NAME" "$1" "$ERR" >&2
        GOLDEN_FAILED+=" $1"
    else
        pass
    fi
}

# =============================================================================
# Run 1: scenarios 1-6 and 8.
# =============================================================================
GEN=$("$PYTHON" "$CHECK" gen "$TMPD" main) || fail "pipeline_check.py gen main"
flow_texts=()
for e in "${FLOWS[@]}"; do flow_texts+=("${e##*|}"); done
write_config main "${flow_texts[@]}"
start_daemon main
log "main: daemon up with ${#FLOWS[@]} flows"

# Everything but the groups: wait for the outputs, the drops and the
# packet-ins, and for gsrc's packets to be in the ring.
UNGATED="mo1 mo2 ro vacc vtrk vacc2 wo1 wo2 xob xoc xod"
UNGATED_TX=$(jget "$GEN" "sum(j['tx'][p] for p in '$UNGATED'.split())")
settled() {
    local pmd
    pmd=$(json_of pmd-stats-show)
    [ "$(tx_sum "$UNGATED")" -ge "$UNGATED_TX" ] &&
        [ "$(jget "$pmd" "sum(j['workers'][0]['drops'].values()) >= 10 and j['workers'][0]['pktin'] >= $EXPECT_PKTIN")" == true ] &&
        [ "$(jget "$(json_of port-stats gsrc)" "j['ports'][0]['rx_packets']")" -ge 61 ]
}
wait_until "the ungated packets are switched" settled

assert_eq "drops by reason before the groups" "$(drops)" "$EXPECT_DROPS"
PMD=$(json_of pmd-stats-show)
assert_eq "pktin (table-miss rule to controller)" "$(jget "$PMD" "j['workers'][0]['pktin']")" $EXPECT_PKTIN
assert_eq "malformed" "$(jget "$PMD" "j['workers'][0]['malformed']")" 0

# --- the gate -----------------------------------------------------------------
# The 61 packets circulate: the ring keeps receiving, no group port sent.
GROUP_PORTS="g1a g1b g2a g2b g3 g4a g4b g5a g5b"
assert_eq "group ports sent nothing yet" "$(tx_sum "$GROUP_PORTS")" 0
ring_rx() { jget "$(json_of port-stats ring)" "j['ports'][0]['rx_packets']"; }
RING0=$(ring_rx)
ring_moves() { [ "$(ring_rx)" -gt $((RING0 + 61)) ]; }
wait_until "the gated packets circulate in the ring" ring_moves

ctlj dump-groups
assert_eq "no groups at start" "$(jget "$OUT" "len(j['groups'])")" 0
for e in "${GROUP_SPECS[@]}"; do
    ctl add-group "${e##*|}"
    assert_ok "add-group ${e##*|}"
done
ctlj dump-groups
GDUMP=$OUT
assert_eq "dump-groups ids" "$(jget "$GDUMP" "sorted(g['group_id'] for g in j['groups'])")" "[1, 2, 3, 4, 5, 6]"
assert_eq "group counters before traffic" "$(jget "$GDUMP" "sum(g['packet_count'] for g in j['groups'])")" 0
assert_contains "dump-groups text of group 4" \
    "$(jget "$GDUMP" "[g['text'] for g in j['groups'] if g['group_id'] == 4][0]")" "group_id=4,type=ff,bucket=watch_port:99,actions=output:g4a,"

ctlj del-flows --strict "table=0,priority=100,in_port=ring"
assert_eq "del-flows --strict of the gate" "$(jget "$OUT" "j['deleted']")" 1
GROUP_TX=$(jget "$GEN" "sum(j['tx'][p] for p in '$GROUP_PORTS'.split() if p in j['tx']) + j['tx_sum']['g2a+g2b']")
group_done() {
    [ "$(tx_sum "$GROUP_PORTS")" -ge "$GROUP_TX" ] &&
        [ "$(jget "$(json_of pmd-stats-show)" "j['workers'][0]['drops']['group']")" -ge 1 ]
}
wait_until "the group packets are switched" group_done
in_use_zero() { [ "$(jget "$(json_of show)" "j['pools'][0]['in_use']")" -eq 0 ]; }
wait_until "every mbuf back in the pool" in_use_zero

# --- counters -------------------------------------------------------------------
assert_eq "drops by reason at the end" "$(drops)" "$EXPECT_DROPS_GROUPS"
ctlj dump-groups
GDUMP=$OUT
for e in "${GROUP_SPECS[@]}"; do
    id=${e%%|*} n=${e#*|} n=${n%%|*}
    assert_eq "group $id packet_count" \
        "$(jget "$GDUMP" "[g['packet_count'] for g in j['groups'] if g['group_id'] == $id][0]")" "$n"
done
assert_eq "select buckets g2a+g2b" "$(tx_sum g2a g2b)" "$(jget "$GEN" "j['tx_sum']['g2a+g2b']")"
check_port_stats ring g2a g2b

remaining=()
for e in "${FLOWS[@]}"; do
    [ "${e%%|*}" == 0x62 ] || remaining+=("$e")
done
check_flow_counters "$(json_of dump-flows)" "${remaining[@]}"

ctlj dump-flows "cookie=0x21"
assert_contains "dump-flows text of the L3 flow" "$(jget "$OUT" "j['flows'][0]['text']")" \
    "n_packets=6,"

# Megaflows: one per walk outcome; nm's is a table miss, r1's look at the
# destination address.
ctlj dump-megaflows
MF=$OUT
assert_gt "number of megaflows" "$(jget "$MF" "len(j['megaflows'])")" 10
assert_eq "nm's megaflow is a table miss that drops" \
    "$(jget "$MF" "[(m['miss'], m['actions'], m['packets']) for m in j['megaflows'] if 'in_port=nm' in m['match']]")" \
    '[[true, "drop", 3]]'
assert_eq "cm's megaflow goes to the controller" \
    "$(jget "$MF" "[(m['miss'], m['actions'], m['packets']) for m in j['megaflows'] if 'in_port=cm' in m['match']]")" \
    '[[false, "CONTROLLER:65535", 4]]'
assert_eq "r1's megaflows match nw_dst" \
    "$(jget "$MF" "all('nw_dst=' in m['match'] for m in j['megaflows'] if 'in_port=r1,' in m['match'] or m['match'].endswith('in_port=r1'))")" true
assert_eq "packets over r1's megaflows" \
    "$(jget "$MF" "sum(m['packets'] for m in j['megaflows'] if 'in_port=r1' in m['match'])")" 9
assert_eq "megaflow packets = rx of the pcap ports" \
    "$(jget "$MF" "sum(m['packets'] for m in j['megaflows'] if 'in_port=ring' not in m['match'])")" \
    "$(jget "$GEN" "sum(j['rx'].values())")"

stop_daemon
golden main

# =============================================================================
# Run 2: scenario 7, NORMAL.
# =============================================================================
GEN=$("$PYTHON" "$CHECK" gen "$TMPD" normal) || fail "pipeline_check.py gen normal"
write_config normal "cookie=0x71,actions=normal"
start_daemon normal

ctlj pmd-rxq-show
assert_eq "rx queues polled in port order" \
    "$(jget "$OUT" "[q['port'] for q in j['workers'][0]['rxqs']]")" '["n1", "n2", "n3"]'
normal_done() { [ "$(tx_sum n1 n2 n3)" -ge 8 ]; }
wait_until "NORMAL switched the 5 frames" normal_done
check_port_stats
check_flow_counters "$(json_of dump-flows)" "0x71|5|actions=normal"
assert_eq "no drops" "$(drops)" "{}"

# fdb-show: A on n1 (VLAN 0 and 10), B on n2, C on n3.
ctlj fdb-show
FDB=$OUT
assert_eq "fdb-show entries (port, vlan, mac)" \
    "$(jget "$FDB" "sorted((e['text'].split()[0], e['vlan'], e['text'].split()[2]) for e in j['entries'] if 'port' in e)")" \
    '[["n1", 0, "02:00:00:00:01:01"], ["n1", 10, "02:00:00:00:01:01"], ["n2", 0, "02:00:00:00:01:02"], ["n3", 0, "02:00:00:00:01:03"]]'
assert_eq "fdb-show ofports" \
    "$(jget "$FDB" "sorted(e['port'] for e in j['entries'] if 'port' in e)")" '[1, 1, 2, 3]'
ctl fdb-show
assert_ok "fdb-show (text)"
assert_contains "fdb-show text lists B" "$OUT" "02:00:00:00:01:02"

stop_daemon
golden normal

# =============================================================================
# Run 3: scenario 9, a full megaflow cache. 128 flows, each its own
# megaflow, through a 64-entry cache (see run_evict in pipeline_check.py):
# evictions must never give a packet another flow's actions.
# =============================================================================
GEN=$("$PYTHON" "$CHECK" gen "$TMPD" evict) || fail "pipeline_check.py gen evict"
EVICT_FLOWS=()
evict_texts=()
for ((n = 0; n < 128; n++)); do
    cookie=$(printf '0x%x' $((0x1000 + n)))
    EVICT_FLOWS+=("$cookie|$((n < 64 ? 2 : 1))|")
    evict_texts+=("cookie=$cookie,priority=10,in_port=esrc,ip,nw_dst=10.9.0.$((n + 1)),actions=mod_nw_src:10.8.0.$((n + 1)),output:eout")
done
EXTRA_DATAPATH=', "megaflows": 64' write_config evict "${evict_texts[@]}"
start_daemon evict
evict_done() { [ "$(tx_sum eout)" -ge 192 ]; }
wait_until "the 192 packets are switched" evict_done
check_port_stats
PMD=$(json_of pmd-stats-show)
assert_eq "evict: no drops" "$(drops)" "{}"
assert_eq "evict: the cache is full" "$(jget "$PMD" "j['workers'][0]['megaflows']")" 64
EVICT_DUMP=$(json_of dump-flows)
stop_daemon
golden evict
# After the pcaps: a packet given another flow's megaflow also counts for
# the wrong rule.
check_flow_counters "$EVICT_DUMP" "${EVICT_FLOWS[@]}"

[ -z "$GOLDEN_FAILED" ] || fail "output pcaps differ from the golden ones in run(s):$GOLDEN_FAILED"
