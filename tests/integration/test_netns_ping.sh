#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Two hosts in their own network namespaces, joined only through nfvswitch.
#
#   ns1: 10.99.0.1/24 --veth-- v1 (net_af_packet) nfvswitch
#   ns2: 10.99.0.2/24 --veth-- v2 (net_af_packet) nfvswitch
#
# The root-namespace ends of the veths have no address and IPv6 off, so the
# only traffic is what the hosts send. With flows v1->v2 and v2->v1 ping
# works; after del-flows it fails (the drops show up as table misses); after
# add-flow it works again. Needs root (namespaces, veths); exits 77 without.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "no iproute2"
command -v ping >/dev/null || skip "no ping"
nfv_init

NS1="nfvt$$-ns1"
NS2="nfvt$$-ns2"
# Interface names: at most 15 characters, unique per run.
V1="nfv$$a"
V1P="nfv$$ap"
V2="nfv$$b"
V2P="nfv$$bp"
SOCK="$TMPD/ctl.sock"

nfv_on_exit "ip netns del $NS1; ip netns del $NS2; ip link del $V1; ip link del $V2"

no_ipv6() {         # [NETNS] IFACE
    if [ $# -eq 2 ]; then
        ip netns exec "$1" sh -c "echo 1 > /proc/sys/net/ipv6/conf/$2/disable_ipv6" 2>/dev/null || true
    else
        [ -e "/proc/sys/net/ipv6/conf/$1/disable_ipv6" ] &&
            echo 1 >"/proc/sys/net/ipv6/conf/$1/disable_ipv6"
    fi
    return 0
}

setup_host() {      # NETNS ROOT-IFACE PEER-IFACE ADDRESS
    ip netns add "$1" || fail "ip netns add $1"
    ip link add "$2" type veth peer name "$3" || fail "ip link add $2"
    no_ipv6 "$2"
    ip link set "$3" netns "$1" || fail "moving $3 into $1"
    no_ipv6 "$1" "$3"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" ip addr add "$4/24" dev "$3"
    ip netns exec "$1" ip link set "$3" up
    ip link set "$2" up
}
setup_host "$NS1" "$V1" "$V1P" 10.99.0.1
setup_host "$NS2" "$V2" "$V2P" 10.99.0.2
# Only now, once both interfaces exist: no MAC of ns2 is known yet.
ip netns exec "$NS1" ip neigh flush all

nfv_prefix main
PREFIX=$NFV_PREFIX
cat >"$TMPD/config.json" <<EOF
{
  "pmd_cores": [1],
  "ports": [
    {"name": "v1", "devargs": "net_af_packet0,iface=$V1", "rx_desc": 256, "tx_desc": 256},
    {"name": "v2", "devargs": "net_af_packet1,iface=$V2", "rx_desc": 256, "tx_desc": 256}
  ],
  "flows": [
    "priority=10,in_port=v1,actions=output:v2",
    "priority=10,in_port=v2,actions=output:v1"
  ]
}
EOF
nfv_eal_args "$PREFIX"
nfv_start main "${NFV_EAL[@]}" -- -c "$TMPD/config.json" -s "$SOCK"
nfv_wait_ready "$SOCK"

ctlj show
assert_eq "ports" "$(jget "$OUT" "[(p['name'], p['driver']) for p in j['ports']]")" \
    '[["v1", "net_af_packet"], ["v2", "net_af_packet"]]'
link_up() {
    run "$NFVCTL" -s "$SOCK" --json show
    [ "$RC" -eq 0 ] && [ "$(jget "$OUT" "all(p['link_up'] for p in j['ports'])")" == true ]
}
wait_until "both links up" link_up

counter() {         # PORT FIELD
    run "$NFVCTL" -s "$SOCK" --json port-stats "$1"
    [ "$RC" -eq 0 ] || fail "port-stats $1: $ERR"
    jget "$OUT" "j['ports'][0]['$2']"
}
flow_packets() {    # PORT
    run "$NFVCTL" -s "$SOCK" --json dump-flows "in_port=$1"
    [ "$RC" -eq 0 ] || fail "dump-flows in_port=$1: $ERR"
    jget "$OUT" "sum(f['n_packets'] for f in j['flows'])"
}
no_match() {
    run "$NFVCTL" -s "$SOCK" --json pmd-stats-show
    [ "$RC" -eq 0 ] || fail "pmd-stats-show: $ERR"
    jget "$OUT" "sum(w['drops']['no-match'] for w in j['workers'])"
}

ping_ok() {         # DESCRIPTION
    run ip netns exec "$NS1" ping -n -c 3 -i 0.2 -W 2 10.99.0.2
    [ "$RC" -eq 0 ] || fail "$1: ping failed (exit $RC): $OUT $ERR"
    assert_contains "$1" "$OUT" "3 packets transmitted, 3 received"
}

v1_rx0=$(counter v1 rx_packets)
v2_tx0=$(counter v2 tx_packets)
v2_rx0=$(counter v2 rx_packets)
v1_tx0=$(counter v1 tx_packets)
ping_ok "ping through nfvswitch"
# 3 echo requests (and an ARP request) in at v1 and out at v2; the replies
# the other way.
assert_ge "v1 rx_packets" "$(counter v1 rx_packets)" $((v1_rx0 + 4))
assert_ge "v2 tx_packets" "$(counter v2 tx_packets)" $((v2_tx0 + 4))
assert_ge "v2 rx_packets" "$(counter v2 rx_packets)" $((v2_rx0 + 4))
assert_ge "v1 tx_packets" "$(counter v1 tx_packets)" $((v1_tx0 + 4))
assert_le "v1 rx_packets (no stray traffic)" "$(counter v1 rx_packets)" $((v1_rx0 + 12))
assert_ge "flow in_port=v1 n_packets" "$(flow_packets v1)" 4
assert_ge "flow in_port=v2 n_packets" "$(flow_packets v2)" 4
assert_eq "no table misses yet" "$(no_match)" 0
assert_eq "v1 errors" "$(counter v1 rx_errors)/$(counter v1 tx_errors)/$(counter v1 tx_dropped)" "0/0/0"

# --- without flows the hosts are cut off ------------------------------------
ctlj del-flows
assert_eq "del-flows deleted" "$(jget "$OUT" "j['deleted']")" 2
ctlj dump-flows
assert_eq "no flows left" "$(jget "$OUT" "len(j['flows'])")" 0
v1_rx1=$(counter v1 rx_packets)
v2_tx1=$(counter v2 tx_packets)
miss1=$(no_match)
run ip netns exec "$NS1" ping -n -c 2 -i 0.2 -W 1 10.99.0.2
[ "$RC" -ne 0 ] || fail "ping succeeded without flows: $OUT"
assert_contains "ping without flows" "$OUT" " 0 received"
assert_ge "v1 still receives" "$(counter v1 rx_packets)" $((v1_rx1 + 2))
assert_eq "v2 sends nothing" "$(counter v2 tx_packets)" "$v2_tx1"
assert_ge "table misses" "$(no_match)" $((miss1 + 2))

# --- add-flow restores it ---------------------------------------------------
ctl add-flow "in_port=v1,actions=output:v2"
assert_ok "add-flow v1->v2"
ctl add-flow "in_port=2,actions=output:1"
assert_ok "add-flow 2->1"
ping_ok "ping after add-flow"
assert_ge "new flow in_port=v1 n_packets" "$(flow_packets v1)" 3

# And the other way round.
run ip netns exec "$NS2" ping -n -c 2 -i 0.2 -W 2 10.99.0.1
[ "$RC" -eq 0 ] || fail "ping from ns2 failed: $OUT $ERR"
pass

ctlj show
assert_eq "no mbuf held while idle" "$(jget "$OUT" "j['pools'][0]['in_use']")" 0

ctl shutdown
assert_ok "nfvctl shutdown"
nfv_wait_exit "$DAEMON_PID"
assert_eq "exit status after shutdown" "$EXIT_RC" 0
