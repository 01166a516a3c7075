#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The local-controller apps end to end: Linux hosts in network namespaces
# play the VMs of three tenant networks and get everything from nfvswitch
# (DHCP with dhclient, ARP with arping, routing with ping).
#
#   blue  (segment 100, 10.60.1.0/24, router r0)  b1: endpoint 02:00:00:00:01:10
#                                                  b2: any MAC, from the range
#   red   (segment 200, 10.60.2.0/24, router r0)  r1: from the range
#   green (segment 300, 10.60.1.0/24, router rg)  g1: from the range (blue's
#                                                  subnet again: overlapping)
#
# Each VM is a namespace with eth0, one end of a veth pair whose other end
# is an nfvswitch port (net_af_packet); IPv6 is off on both ends, so all the
# traffic is what the test makes. dhclient runs in the VM's namespace with
# its own config, lease file, pid file and a script that only applies the
# lease with ip(8) (nothing on the host is touched).
#
# Checks, in order:
#  1 DHCP: b1 gets its fixed address, b2, r1 and g1 the first of their
#    pools (g1 the same address as b2, from green's pool); the options;
#    dhcp-leases shows them bound; arp-show learned them per network
#  2 arping the gateway: the router's MAC answers
#  3 ping the gateway
#  4 ping across the router; the reactive table-20 flows both ways (cookie
#    of the L3 app, idle_timeout) and their removal once idle
#  5 isolation of the overlapping subnets (green cannot reach blue's
#    10.60.1.10; blue's 10.60.1.100 is b2, and green's port sends nothing;
#    10.60.1.1 in green is green's router)
#  6 a destination that never answers ARP: ICMP host unreachable; TTL 1
#    across the router: ICMP time exceeded (with and without a flow)
#  7 restart: the leases come back from dhcp_state_file, and b2's dhclient
#    gets its address again with a REQUEST (INIT-REBOOT), no DISCOVER
#  8 malformed DHCP and ARP and gratuitous ARP (apps_flood.py from b2)
#    during a ping from b1 to r1: the ping goes on, the apps count the
#    malformed packets, no lease is made, the daemon still answers
#  9 forged ARP (b1's MAC claimed from b2) and a DHCP request with b1's MAC
#    from b2: refused; b1 keeps its traffic
# 10 a static route: 0.0.0.0/0 via 10.60.9.2, a Linux router (u1) on an
#    uplink network that nobody configured as an endpoint: the router ARPs
#    for the next hop and installs a route flow; ping 198.51.100.1 works
# 11 the apps' flows seen by ovs-ofctl over OpenFlow, tagged by cookie
#  then every mbuf back in the pool and a clean exit (no mbuf leaked).
#
# Needs root, dhclient, arping and scapy; exits 77 without them.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null || skip "no iproute2"
command -v ping >/dev/null || skip "no ping"
command -v dhclient >/dev/null || skip "no dhclient (isc-dhcp-client)"
command -v arping >/dev/null || skip "no arping (iputils-arping)"
command -v timeout >/dev/null || skip "no timeout (coreutils)"
nfv_init
"$PYTHON" -c "import scapy.layers.l2" 2>/dev/null || skip "no scapy for $PYTHON"

FLOOD="$NFV_TEST_DIR/apps_flood.py"
SOCK="$TMPD/ctl.sock"
LEASES="$TMPD/dhcp.leases"

ROUTER_MAC=02:00:00:00:0a:01
B1_MAC=02:00:00:00:01:10
L3_COOKIE=0x4e46560004000000
IDLE=3                  # apps.flow_idle_timeout
LEASE_SECONDS=600       # long enough that nothing renews or expires here

# The VMs: port name -> namespace and root-side interface (15 chars at most).
VMS=(b1 b2 r1 g1 u1)
declare -A NS VETH
for vm in "${VMS[@]}"; do
    NS[$vm]="nfvt$$-$vm"
    VETH[$vm]="nfa$$$vm"
done

# --- VMs -------------------------------------------------------------------

# Ends every process in the namespace of VM $1 (dhclient, ping, the flood):
# TERM, then KILL what is left after 2 s.
vm_kill() {
    local ns=${NS[$1]} pids i
    pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # one pid per word
    kill -TERM $pids 2>/dev/null
    for ((i = 0; i < 20; i++)); do
        [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && return 0
        sleep 0.1
    done
    pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
    return 0
}

vms_cleanup() {
    local vm pids
    for vm in "${VMS[@]}"; do
        vm_kill "$vm"
    done
    # Background helpers of this shell (timeout wrappers) still running.
    pids=$(jobs -pr)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -TERM $pids 2>/dev/null
    for vm in "${VMS[@]}"; do
        ip netns del "${NS[$vm]}" 2>/dev/null
        ip link del "${VETH[$vm]}" 2>/dev/null
    done
    return 0
}
nfv_on_exit vms_cleanup

vm() {              # VM COMMAND...
    local v=$1
    shift
    ip netns exec "${NS[$v]}" "$@"
}

vm_add() {          # VM [MAC]
    local v=$1 ns=${NS[$1]} veth=${VETH[$1]}
    ip netns add "$ns" || fail "ip netns add $ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
    ip link add "$veth" type veth peer name eth0 netns "$ns" ||
        fail "ip link add $veth"
    sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" >/dev/null 2>&1 || true
    vm "$v" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 >/dev/null 2>&1 || true
    if [ $# -ge 2 ]; then
        ip -n "$ns" link set dev eth0 address "$2" || fail "setting the MAC of $v"
    fi
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip link set "$veth" up
}

vm_mac() {
    vm "$1" cat /sys/class/net/eth0/address
}

# "a.b.c.d/n" of eth0 of VM $1 (empty if none).
vm_addr() {
    ip -n "${NS[$1]}" -4 -o addr show dev eth0 | awk '{print $4}'
}

# --- dhclient --------------------------------------------------------------

# Its configuration: quick retries, gives up after 30 s (with -1), asks for
# the options the DHCP app can send.
cat >"$TMPD/dhclient.conf" <<'EOF'
timeout 30;
retry 10;
initial-interval 1;
backoff-cutoff 2;
request subnet-mask, broadcast-address, routers, domain-name,
        domain-name-servers, interface-mtu, dhcp-renewal-time,
        dhcp-rebinding-time;
EOF

# The script dhclient runs: applies the lease to the VM's interface with
# ip(8) and does nothing else (no resolv.conf, no hooks). It logs each call
# next to itself.
cat >"$TMPD/dhclient-script" <<'EOF'
#!/bin/sh
# dhclient-script of the test VMs (see test_apps.sh).
log=${0%/*}/dhclient-script.log
echo "$interface $reason ip=$new_ip_address mask=$new_subnet_mask routers=$new_routers old=$old_ip_address" >>"$log"

masklen() {
    n=0
    for o in $(echo "$1" | tr . ' '); do
        case $o in
            255) n=$((n + 8)) ;; 254) n=$((n + 7)) ;; 252) n=$((n + 6)) ;;
            248) n=$((n + 5)) ;; 240) n=$((n + 4)) ;; 224) n=$((n + 3)) ;;
            192) n=$((n + 2)) ;; 128) n=$((n + 1)) ;;
        esac
    done
    echo "$n"
}

case "$reason" in
    PREINIT)
        ip link set dev "$interface" up
        ;;
    BOUND | RENEW | REBIND | REBOOT)
        if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
            ip -4 addr flush dev "$interface"
        fi
        ip -4 addr replace "$new_ip_address/$(masklen "$new_subnet_mask")" \
            dev "$interface" || exit 1
        if [ -n "$new_routers" ]; then
            ip -4 route replace default via "${new_routers%% *}" \
                dev "$interface" || exit 1
        fi
        ;;
esac
exit 0
EOF
chmod 755 "$TMPD/dhclient-script"

# Runs dhclient once in VM $1 (log $TMPD/$1.dhclient[-TAG].log); returns its
# status. It stays in the background (pid file $TMPD/$1.pid) once bound.
dhcp_run() {        # VM [TAG]
    local v=$1 tag=${2:+-$2}
    timeout 45 ip netns exec "${NS[$v]}" dhclient -1 -v \
        -cf "$TMPD/dhclient.conf" -sf "$TMPD/dhclient-script" \
        -lf "$TMPD/$v.leases" -pf "$TMPD/$v.pid" eth0 \
        >"$TMPD/$v.dhclient$tag.log" 2>&1
}

dhcp_fail() {       # VM [TAG] MESSAGE
    local v=$1 tag=${2:+-$2}
    echo "----- dhclient of $v -----" >&2
    cat "$TMPD/$v.dhclient$tag.log" >&2 || true
    echo "----- dhclient-script.log -----" >&2
    cat "$TMPD/dhclient-script.log" >&2 || true
    fail "$3"
}

# --- nfvctl helpers --------------------------------------------------------

ctl_json() {        # COMMAND... (prints the JSON result)
    run "$NFVCTL" -s "$SOCK" --json "$@"
    [ "$RC" -eq 0 ] || fail "nfvctl --json $*: exit $RC: $ERR"
    printf '%s' "$OUT"
}

app_stat() {        # APP COUNTER
    jget "$(ctl_json app-stats)" "j['$1']['$2']"
}

port_stat() {       # PORT COUNTER
    jget "$(ctl_json port-stats "$1")" "j['ports'][0]['$2']"
}

# Polls COMMAND for up to SECONDS (at least 0.1 s apart).
poll() {            # DESCRIPTION SECONDS COMMAND
    local end=$((SECONDS + $2 + 1))
    while [ "$SECONDS" -lt "$end" ]; do
        if eval "$3"; then
            pass
            return 0
        fi
        sleep 0.1
    done
    fail "timed out after $2 s waiting for: $1"
}

links_up() {
    run "$NFVCTL" -s "$SOCK" --json show
    [ "$RC" -eq 0 ] && [ "$(jget "$OUT" "all(p['link_up'] for p in j['ports'])")" == true ]
}

# "MAC STATE FIXED" of the lease of IP in SUBNET ("none" if none).
lease_of() {        # LEASES-JSON SUBNET IP
    jget "$1" "' '.join(str(x).lower() for l in j['leases'] if l['subnet'] == '$2' and l['ip'] == '$3' for x in (l['mac'], l['state'], l['fixed'])) or 'none'"
}

# MACs bound to IP in NETWORK by arp-show, sorted, space-separated.
arp_macs() {        # NETWORK IP
    jget "$(ctl_json arp-show)" "' '.join(sorted(set(b['mac'].lower() for b in j['bindings'] if b['network'] == '$1' and b['ip'] == '$2')))"
}

# The L3 app's flows in table 20 toward DST, as "network-metadata actions".
l3_flows_to() {     # DST
    jget "$(ctl_json dump-flows table=20)" "[f['match'] + ' ' + f['actions'] for f in j['flows'] if f['cookie'] == '$L3_COOKIE' and 'nw_dst=$1,' in f['match'] + ',']"
}

# "N" of "X packets transmitted, N received" in ping output $1.
ping_received() {
    sed -n 's/.* transmitted, \([0-9]*\) received.*/\1/p' <<<"$1"
}

# --- the switch ------------------------------------------------------------

vm_add b1 "$B1_MAC"
vm_add b2
vm_add r1
vm_add g1
vm_add u1
# u1: a Linux router on the uplink, addressed by hand; 198.51.100.1 stands
# for the outside world behind it.
vm u1 ip addr add 10.60.9.2/24 dev eth0
vm u1 ip addr add 198.51.100.1/32 dev lo
vm u1 ip route add 10.60.0.0/16 via 10.60.9.1
B2_MAC=$(vm_mac b2)
R1_MAC=$(vm_mac r1)
G1_MAC=$(vm_mac g1)
log "VMs: b1 $B1_MAC, b2 $B2_MAC, r1 $R1_MAC, g1 $G1_MAC"

# A TCP port on 127.0.0.1 that nobody listens on, for ovs-ofctl.
pick_port() {
    local p=$((20000 + ($$ * 7 + 3) % 12000)) i
    for ((i = 0; i < 200; i++)); do
        if [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    fail "no free TCP port near $p"
}
OFPORT=$(pick_port)

cat >"$TMPD/config.json" <<EOF
{
  "pmd_cores": [1],
  "ports": [
    {"name": "b1", "devargs": "net_af_packet0,iface=${VETH[b1]}", "rx_desc": 256, "tx_desc": 256},
    {"name": "b2", "devargs": "net_af_packet1,iface=${VETH[b2]}", "rx_desc": 256, "tx_desc": 256},
    {"name": "r1", "devargs": "net_af_packet2,iface=${VETH[r1]}", "rx_desc": 256, "tx_desc": 256},
    {"name": "g1", "devargs": "net_af_packet3,iface=${VETH[g1]}", "rx_desc": 256, "tx_desc": 256},
    {"name": "u1", "devargs": "net_af_packet4,iface=${VETH[u1]}", "rx_desc": 256, "tx_desc": 256}
  ],
  "networks": [
    {"name": "blue", "segment_id": 100, "ports": ["b1", "b2"],
     "subnets": [{"name": "blue1", "cidr": "10.60.1.0/24", "gateway": "10.60.1.1",
                  "dhcp": {"enabled": true, "range": ["10.60.1.100", "10.60.1.150"],
                           "dns": ["10.60.1.1"], "domain": "blue.test",
                           "lease_seconds": $LEASE_SECONDS}}]},
    {"name": "red", "segment_id": 200, "ports": ["r1"],
     "subnets": [{"name": "red1", "cidr": "10.60.2.0/24", "gateway": "10.60.2.1",
                  "dhcp": {"enabled": true, "range": ["10.60.2.100", "10.60.2.150"],
                           "lease_seconds": $LEASE_SECONDS}}]},
    {"name": "green", "segment_id": 300, "ports": ["g1"],
     "subnets": [{"name": "green1", "cidr": "10.60.1.0/24", "gateway": "10.60.1.1",
                  "dhcp": {"enabled": true, "range": ["10.60.1.100", "10.60.1.150"],
                           "lease_seconds": $LEASE_SECONDS}}]},
    {"name": "uplink", "segment_id": 400, "ports": ["u1"],
     "subnets": [{"name": "up1", "cidr": "10.60.9.0/24", "gateway": "10.60.9.1"}]}
  ],
  "routers": [
    {"name": "r0", "mac": "$ROUTER_MAC", "subnets": ["blue1", "red1", "up1"],
     "routes": [{"cidr": "0.0.0.0/0", "next_hop": "10.60.9.2"}]},
    {"name": "rg", "mac": "02:00:00:00:0b:01", "subnets": ["green1"]}
  ],
  "endpoints": [
    {"port": "b1", "mac": "$B1_MAC", "ip": "10.60.1.10"}
  ],
  "dhcp_state_file": "$LEASES",
  "apps": {"flow_idle_timeout": $IDLE, "arp_aging": 300, "arp_retries": 3,
           "pktin_rate": 1000, "pktin_burst": 100},
  "openflow": {"listen": ["ptcp:$OFPORT:127.0.0.1"]}
}
EOF

nfv_prefix main
PREFIX=$NFV_PREFIX
nfv_eal_args "$PREFIX"
start_switch() {    # LOG-NAME
    nfv_start "$1" "${NFV_EAL[@]}" -- -c "$TMPD/config.json" -s "$SOCK"
    nfv_wait_ready "$SOCK"
    wait_until "all links up" links_up
}
start_switch main

ctlj show
assert_eq "ports" "$(jget "$OUT" "[p['name'] for p in j['ports']]")" '["b1", "b2", "r1", "g1", "u1"]'
ctlj dump-flows
assert_eq "base pipeline installed (tables 0, 1, 10, 11, 20, 30)" \
    "$(jget "$OUT" "sorted(set(f['table'] for f in j['flows']) & {0, 1, 10, 11, 20, 30})")" \
    '[0, 1, 10, 11, 20, 30]'
ctlj route-show
assert_eq "route-show routers" \
    "$(jget "$OUT" "[(r['name'], r['mac'].lower(), sorted(c['subnet'] for c in r['connected'])) for r in j['routers']]")" \
    "[[\"r0\", \"$ROUTER_MAC\", [\"blue1\", \"red1\", \"up1\"]], [\"rg\", \"02:00:00:00:0b:01\", [\"green1\"]]]"

# --- 1. DHCP ---------------------------------------------------------------
declare -A DPID
DHCP_VMS=(b1 b2 r1 g1)  # u1 is addressed by hand
for v in "${DHCP_VMS[@]}"; do
    dhcp_run "$v" &
    DPID[$v]=$!
done
for v in "${DHCP_VMS[@]}"; do
    rc=0
    wait "${DPID[$v]}" || rc=$?
    [ "$rc" -eq 0 ] || dhcp_fail "$v" "" "dhclient in $v exited with $rc (no lease)"
done
declare -A WANT=([b1]=10.60.1.10/24 [b2]=10.60.1.100/24 [r1]=10.60.2.100/24 [g1]=10.60.1.100/24)
for v in "${DHCP_VMS[@]}"; do
    assert_eq "address of $v from DHCP" "$(vm_addr "$v")" "${WANT[$v]}"
done
assert_contains "default route of b1" "$(ip -n "${NS[b1]}" -4 route show default)" "via 10.60.1.1"
assert_contains "default route of r1" "$(ip -n "${NS[r1]}" -4 route show default)" "via 10.60.2.1"
# The options, as dhclient recorded them.
B1_LEASE=$(cat "$TMPD/b1.leases")
for o in "fixed-address 10.60.1.10;" "option subnet-mask 255.255.255.0;" \
    "option routers 10.60.1.1;" "option dhcp-server-identifier 10.60.1.1;" \
    "option domain-name-servers 10.60.1.1;" 'option domain-name "blue.test";' \
    "option dhcp-lease-time $LEASE_SECONDS;" "option broadcast-address 10.60.1.255;"; do
    assert_contains "b1's lease" "$B1_LEASE" "$o"
done
assert_contains "r1's lease" "$(cat "$TMPD/r1.leases")" "option dhcp-server-identifier 10.60.2.1;"
assert_contains "g1's lease" "$(cat "$TMPD/g1.leases")" "fixed-address 10.60.1.100;"
log "1: dhclient: b1 10.60.1.10 (fixed), b2 10.60.1.100, r1 10.60.2.100, g1 10.60.1.100 (green); options right"

# The VMs keep their addresses; their dhclients go (nothing renews later).
for v in "${VMS[@]}"; do
    vm_kill "$v"
done

ctlj dhcp-leases
DL=$OUT
assert_eq "lease of b1" "$(lease_of "$DL" blue1 10.60.1.10)" "$B1_MAC bound true"
assert_eq "lease of b2" "$(lease_of "$DL" blue1 10.60.1.100)" "$B2_MAC bound false"
assert_eq "lease of r1" "$(lease_of "$DL" red1 10.60.2.100)" "$R1_MAC bound false"
assert_eq "lease of g1" "$(lease_of "$DL" green1 10.60.1.100)" "$G1_MAC bound false"
assert_eq "lease networks" \
    "$(jget "$DL" "sorted(set((l['subnet'], l['network']) for l in j['leases']))")" \
    '[["blue1", "blue"], ["green1", "green"], ["red1", "red"]]'
# A pool is the dynamic range plus the fixed addresses (blue1: b1's).
assert_eq "pools" \
    "$(jget "$DL" "sorted((p['subnet'], p['network'], p['range'], p['size']) for p in j['pools'])")" \
    '[["blue1", "blue", "10.60.1.100-10.60.1.150", 52], ["green1", "green", "10.60.1.100-10.60.1.150", 51], ["red1", "red", "10.60.2.100-10.60.2.150", 51]]'
assert_eq "bound in the pools" \
    "$(jget "$DL" "sorted((p['subnet'], p['bound'], p['offered']) for p in j['pools'])")" \
    '[["blue1", 2, 0], ["green1", 1, 0], ["red1", 1, 0]]'
ctl dhcp-leases
assert_ok "nfvctl dhcp-leases"
assert_contains "nfvctl dhcp-leases (human)" "$OUT" "$B2_MAC"
assert_eq "arp-show: blue 10.60.1.10" "$(arp_macs blue 10.60.1.10)" "$B1_MAC"
assert_eq "arp-show: blue 10.60.1.100" "$(arp_macs blue 10.60.1.100)" "$B2_MAC"
assert_eq "arp-show: green 10.60.1.100" "$(arp_macs green 10.60.1.100)" "$G1_MAC"
assert_eq "arp-show: red 10.60.2.100" "$(arp_macs red 10.60.2.100)" "$R1_MAC"
ctl arp-show
assert_ok "nfvctl arp-show"
DS=$(ctl_json app-stats)
# At least: dhclient may have sent a message again before the answer came.
assert_eq "dhcp discover/offer/request/ack >= 4, nak 0" \
    "$(jget "$DS" "[j['dhcp'][k] >= 4 for k in ('discover', 'offer', 'request', 'ack')] + [j['dhcp']['nak']]")" \
    "[true, true, true, true, 0]"
log "1: dhcp-leases shows the four bound, arp-show the bindings per network"

# --- 2. arping the gateway -------------------------------------------------
run vm b2 arping -c 2 -w 5 -I eth0 10.60.1.1
[ "$RC" -eq 0 ] || fail "arping 10.60.1.1 from b2: exit $RC: $OUT $ERR"
assert_eq "arping replies" "$(grep -ci 'reply from 10.60.1.1' <<<"$OUT" || true)" 2
assert_eq "MACs that answered arping" \
    "$(grep -ioE '([0-9a-f]{2}:){5}[0-9a-f]{2}' <<<"$OUT" | tr 'A-F' 'a-f' | sort -u | tr '\n' ' ')" \
    "$ROUTER_MAC "
assert_ge "arp.replies" "$(app_stat arp replies)" 2
log "2: arping 10.60.1.1 from b2: 2 replies, all from $ROUTER_MAC"

# --- 3. ping the gateway ---------------------------------------------------
echo0=$(app_stat l3 echo_replies)
run vm b2 ping -n -c 3 -i 0.2 -W 2 10.60.1.1
[ "$RC" -eq 0 ] || fail "ping 10.60.1.1 from b2: exit $RC: $OUT $ERR"
assert_eq "ping gateway: received" "$(ping_received "$OUT")" 3
assert_ge "l3.echo_replies" "$(app_stat l3 echo_replies)" $((echo0 + 3))
log "3: ping 10.60.1.1 from b2: 3 of 3 answered by the router"

# --- 4. routing and the reactive flows -------------------------------------
inst0=$(app_stat l3 flows_installed)
run vm b1 ping -n -c 3 -i 0.2 -W 2 10.60.2.100
[ "$RC" -eq 0 ] || fail "ping 10.60.2.100 from b1: exit $RC: $OUT $ERR"
assert_eq "ping b1 -> r1: received" "$(ping_received "$OUT")" 3
# Before they idle out (3 s after the last packet).
FWD=$(l3_flows_to 10.60.2.100)
BACK=$(l3_flows_to 10.60.1.10)
ctl dump-flows table=20
assert_ok "nfvctl dump-flows table=20"
TEXT=$OUT
assert_eq "one flow to 10.60.2.100" "$(jget "$FWD" "len(j)")" 1
assert_eq "one flow back to 10.60.1.10" "$(jget "$BACK" "len(j)")" 1
assert_contains "flow to r1" "$FWD" "dl_dst=$ROUTER_MAC"
assert_contains "flow to r1" "$FWD" "output:r1"
assert_contains "flow to r1" "$FWD" "dec_ttl"
assert_contains "flow back to b1" "$BACK" "output:b1"
assert_contains "dump-flows table=20 (text)" "$TEXT" "cookie=$L3_COOKIE"
assert_contains "dump-flows table=20 (text)" "$TEXT" "nw_dst=10.60.2.100"
assert_contains "dump-flows table=20 (text)" "$TEXT" "nw_dst=10.60.1.10"
assert_contains "dump-flows table=20 (text)" "$TEXT" "idle_timeout=$IDLE"
assert_contains "dump-flows table=20 (text)" "$TEXT" "priority=2000"
assert_ge "l3.flows_installed" "$(app_stat l3 flows_installed)" $((inst0 + 2))
RS=$(ctl_json route-show)
assert_eq "route-show flow to 10.60.2.100" \
    "$(jget "$RS" "[(f['router'], f['network'], f['port'], f['idle_timeout']) for f in j['flows'] if f['dst'] == '10.60.2.100']")" \
    "[[\"r0\", \"blue\", \"r1\", $IDLE]]"
ctl route-show
assert_ok "nfvctl route-show"
assert_contains "nfvctl route-show (human)" "$OUT" "10.60.2.100"
ctl app-stats
assert_ok "nfvctl app-stats"
log "4: ping b1 -> r1 (10.60.2.100) through r0; table-20 flows with cookie $L3_COOKIE both ways"
l3_flows_gone() {
    [ "$(l3_flows_to 10.60.2.100)" == "[]" ] && [ "$(l3_flows_to 10.60.1.10)" == "[]" ]
}
poll "the table-20 flows to idle out" 10 l3_flows_gone
log "4: both flows gone after ${IDLE} s without traffic"

# --- 5. isolation of the overlapping subnets -------------------------------
run vm g1 ping -n -c 2 -i 0.5 -W 1 10.60.1.10
[ "$RC" -ne 0 ] || fail "green reached blue's 10.60.1.10: $OUT"
assert_contains "ping 10.60.1.10 from green" "$OUT" " 0 received"
assert_contains "ping 10.60.1.10 from green" "$OUT" "100% packet loss"
assert_not_contains "green's binding of 10.60.1.10" "$(arp_macs green 10.60.1.10)" "$B1_MAC"
assert_eq "blue's binding of 10.60.1.10" "$(arp_macs blue 10.60.1.10)" "$B1_MAC"
g1_tx0=$(port_stat g1 tx_packets)
b2_rx0=$(port_stat b2 rx_packets)
vm b1 ip neigh flush to 10.60.1.100 dev eth0 2>/dev/null || true
run vm b1 ping -n -c 3 -i 0.2 -W 2 10.60.1.100
[ "$RC" -eq 0 ] || fail "ping 10.60.1.100 (b2) from b1: exit $RC: $OUT $ERR"
assert_eq "ping b1 -> 10.60.1.100: received" "$(ping_received "$OUT")" 3
assert_contains "b1's neighbour 10.60.1.100 is b2" \
    "$(ip -n "${NS[b1]}" neigh show to 10.60.1.100 dev eth0)" "lladdr $B2_MAC"
assert_ge "b2 rx (the echo replies)" "$(port_stat b2 rx_packets)" $((b2_rx0 + 3))
assert_eq "g1 tx_packets (green saw nothing of it)" "$(port_stat g1 tx_packets)" "$g1_tx0"
log "5: green cannot reach 10.60.1.10; blue's 10.60.1.100 is b2 ($B2_MAC), g1 sent nothing"
# The same gateway address in green is green's router.
run vm g1 arping -c 1 -w 3 -I eth0 10.60.1.1
[ "$RC" -eq 0 ] || fail "arping 10.60.1.1 from g1: exit $RC: $OUT $ERR"
assert_eq "MACs that answered arping in green" \
    "$(grep -ioE '([0-9a-f]{2}:){5}[0-9a-f]{2}' <<<"$OUT" | tr 'A-F' 'a-f' | sort -u | tr '\n' ' ')" \
    "02:00:00:00:0b:01 "
log "5: 10.60.1.1 in green is rg (02:00:00:00:0b:01)"

# --- 6. unknown destination: host unreachable -------------------------------
unr0=$(app_stat l3 unreachable)
arpq0=$(app_stat l3 arp_requests)
run vm b1 ping -n -c 1 -W 8 10.60.2.77
[ "$RC" -ne 0 ] || fail "ping 10.60.2.77 succeeded: $OUT"
assert_contains "ping 10.60.2.77 from b1" "$OUT" "Destination Host Unreachable"
log "6: $(grep -m1 'Unreachable' <<<"$OUT")"
assert_ge "l3.unreachable" "$(app_stat l3 unreachable)" $((unr0 + 1))
assert_ge "l3.arp_requests (for 10.60.2.77)" "$(app_stat l3 arp_requests)" $((arpq0 + 1))
log "6: ping 10.60.2.77: the router ARPed for it, then sent ICMP host unreachable"

# TTL 1: the router cannot forward it. First with no flow for the
# destination (the packet goes to the L3 app), then through its flow.
ttl_exceeded() {    # DESCRIPTION
    local tx0
    tx0=$(app_stat l3 time_exceeded)
    run vm b1 ping -n -c 1 -t 1 -W 3 10.60.2.100
    [ "$RC" -ne 0 ] || fail "$1: ping with TTL 1 got an answer: $OUT"
    assert_contains "$1" "$OUT" "Time to live exceeded"
    assert_ge "$1: l3.time_exceeded" "$(app_stat l3 time_exceeded)" $((tx0 + 1))
}
ttl_exceeded "TTL 1 without a flow"
run vm b1 ping -n -c 1 -W 2 10.60.2.100
[ "$RC" -eq 0 ] || fail "ping 10.60.2.100 from b1: exit $RC: $OUT $ERR"
assert_eq "flow to 10.60.2.100 again" "$(jget "$(l3_flows_to 10.60.2.100)" "len(j)")" 1
ttl_exceeded "TTL 1 through the flow"
log "6: ping with TTL 1 across the router: ICMP time exceeded, with and without the flow"

# --- 7. leases survive a restart -------------------------------------------
ctl shutdown
assert_ok "nfvctl shutdown"
nfv_wait_exit "$DAEMON_PID"
assert_eq "exit status after shutdown" "$EXIT_RC" 0
[ -s "$LEASES" ] || fail "no lease file $LEASES after shutdown"
pass
start_switch main2
DL=$(ctl_json dhcp-leases)
assert_eq "dhcp.packet_in after the restart" "$(app_stat dhcp packet_in)" 0
assert_eq "b2's lease after the restart" "$(lease_of "$DL" blue1 10.60.1.100)" "$B2_MAC bound false"
assert_eq "r1's lease after the restart" "$(lease_of "$DL" red1 10.60.2.100)" "$R1_MAC bound false"
assert_eq "g1's lease after the restart" "$(lease_of "$DL" green1 10.60.1.100)" "$G1_MAC bound false"
rc=0
dhcp_run b2 again || rc=$?
[ "$rc" -eq 0 ] || dhcp_fail b2 again "dhclient in b2 after the restart exited with $rc"
vm_kill b2
assert_eq "b2's address after the restart" "$(vm_addr b2)" "10.60.1.100/24"
assert_contains "b2's dhclient asked for its address" \
    "$(cat "$TMPD/b2.dhclient-again.log")" "DHCPREQUEST for 10.60.1.100"
DS=$(ctl_json app-stats)
assert_eq "dhcp discover/nak after the restart, request and ack >= 1" \
    "$(jget "$DS" "[j['dhcp']['discover'], j['dhcp']['nak'], j['dhcp']['request'] >= 1, j['dhcp']['ack'] >= 1]")" \
    "[0, 0, true, true]"
DL=$(ctl_json dhcp-leases)
assert_eq "b2's lease renewed" "$(lease_of "$DL" blue1 10.60.1.100)" "$B2_MAC bound false"
log "7: after a restart dhcp-leases had b2's lease; dhclient REQUESTed 10.60.1.100 and got it (no DISCOVER)"

# --- 8. malformed floods while routing -------------------------------------
leases0=$(jget "$DL" "len(j['leases'])")
# 4500 frames in 2 s: the ARP app's share is above apps.pktin_rate, so the
# rate limit drops some of it (counted rate_limited); the ping lasts 4 s.
vm b2 "$PYTHON" "$FLOOD" eth0 --dhcp 2000 --arp 2000 --garp 500 \
    --duration 2 --avoid 10.60.2.1,10.60.2.100 >"$TMPD/flood.out" 2>&1 &
FLOOD_PID=$!
poll "the flood to start sending" 30 "grep -q sending '$TMPD/flood.out' || ! kill -0 $FLOOD_PID 2>/dev/null"
run vm b1 ping -n -c 20 -i 0.2 -W 1 10.60.2.100
PING=$OUT
rc=0
wait "$FLOOD_PID" || rc=$?
[ "$rc" -eq 0 ] || fail "apps_flood.py exited with $rc: $(cat "$TMPD/flood.out")"
log "8: flood sent $(tail -n 1 "$TMPD/flood.out") from b2"
got=$(ping_received "$PING")
assert_ge "ping b1 -> r1 during the flood: received of 20" "$got" 15
kill -0 "$DAEMON_PID" 2>/dev/null || fail "nfvswitch died during the flood"
pass
DS=$(ctl_json app-stats)
log "8: app-stats after the flood: arp $(jget "$DS" "j['arp']"), dhcp $(jget "$DS" "j['dhcp']")"
assert_gt "dhcp.malformed" "$(jget "$DS" "j['dhcp']['malformed']")" 0
assert_gt "arp.malformed" "$(jget "$DS" "j['arp']['malformed']")" 0
DL=$(ctl_json dhcp-leases)
assert_eq "leases after the flood" "$(jget "$DL" "len(j['leases'])")" "$leases0"
assert_eq "no lease for the flood's chaddr" \
    "$(jget "$DL" "[l['ip'] for l in j['leases'] if l['mac'].lower() == '02:00:00:00:ee:ee']")" "[]"
ctlj show
assert_eq "show after the flood: ports" "$(jget "$OUT" "len(j['ports'])")" 5
log "8: ping b1 -> r1 kept going during the flood ($got of 20); malformed DHCP and ARP counted, no lease made"

# --- 9. forged ARP and DHCP from b2 with b1's MAC -----------------------------
DS=$(ctl_json app-stats)
refused0=$(jget "$DS" "j['arp']['refused']")
dropped0=$(jget "$DS" "j['dhcp']['dropped']")
offers0=$(jget "$DS" "j['dhcp']['offer']")
# Gratuitous ARP claiming b1's MAC for 10.60.1.77: once with b2's own
# Ethernet source, once with b1's MAC there too; then a DISCOVER and a
# REQUEST for b1's fixed address with b1's MAC as chaddr.
vm b2 "$PYTHON" - "$B1_MAC" "$B2_MAC" <<'PYEOF' || fail "sending forged frames"
import sys
from scapy.all import ARP, BOOTP, DHCP, IP, UDP, Ether, sendp, conf
conf.verb = 0
victim, own = sys.argv[1], sys.argv[2]
bc = "ff:ff:ff:ff:ff:ff"
frames = [
    Ether(src=own, dst=bc) / ARP(op=1, hwsrc=victim, psrc="10.60.1.77", pdst="10.60.1.77"),
    Ether(src=victim, dst=bc) / ARP(op=1, hwsrc=victim, psrc="10.60.1.78", pdst="10.60.1.78"),
]
chaddr = bytes.fromhex(victim.replace(":", "")) + bytes(10)
for msg in (["discover"], ["request", ("requested_addr", "10.60.1.10")]):
    opts = [("message-type", msg[0])] + msg[1:] + ["end"]
    frames.append(Ether(src=own, dst=bc) / IP(src="0.0.0.0", dst="255.255.255.255")
                  / UDP(sport=68, dport=67) / BOOTP(chaddr=chaddr, xid=0x1234) / DHCP(options=opts))
sendp(frames, iface="eth0")
PYEOF
refused_more() {
    DS=$(ctl_json app-stats)
    [ "$(jget "$DS" "j['arp']['refused'] >= $refused0 + 2 and j['dhcp']['dropped'] >= $dropped0 + 2")" == true ]
}
wait_until "the forged ARP and DHCP refused" refused_more
assert_eq "no offer for b1's MAC from b2" "$(jget "$DS" "j['dhcp']['offer']")" "$offers0"
AS=$(ctl_json arp-show)
assert_eq "no binding of b1's MAC on b2" \
    "$(jget "$AS" "[b['ip'] for b in j['bindings'] if b['mac'].lower() == '$B1_MAC' and b['port'] != 'b1']")" "[]"
ctlj dump-flows "table=30,dl_dst=$B1_MAC"
assert_eq "b1's MAC still delivered to b1" \
    "$(jget "$OUT" "[f['actions'] for f in j['flows'] if 'priority=100' in f['match']]")" '["output:b1"]'
run vm b2 ping -n -c 2 -W 1 10.60.1.10
assert_eq "ping b2 -> b1 after the forgery: received" "$(ping_received "$OUT")" 2
log "9: forged ARP and DHCP with b1's MAC from b2 refused; b1 keeps its traffic and address"

# --- 10. a static route via a next hop the router has to ARP for -----------
run vm b1 ping -n -c 3 -W 2 198.51.100.1
assert_ge "ping b1 -> 198.51.100.1 via the static route: received" "$(ping_received "$OUT")" 2
RS=$(ctl_json route-show)
assert_eq "route 0.0.0.0/0 via 10.60.9.2 resolved" \
    "$(jget "$RS" "[(r['cidr'], r['next_hop'], r['resolved']) for x in j['routers'] if x['name'] == 'r0' for r in x['routes']]")" \
    '[["0.0.0.0/0", "10.60.9.2", true]]'
assert_eq "a route flow from blue via u1" \
    "$(jget "$RS" "[(f['network'], f['dst'], f['port']) for f in j['flows'] if f['dst'] == '0.0.0.0/0']")" \
    '[["blue", "0.0.0.0/0", "u1"]]'
AS=$(ctl_json arp-show)
assert_eq "10.60.9.2 learned on the uplink" \
    "$(jget "$AS" "[(b['network'], b['port'], b['source']) for b in j['bindings'] if b['ip'] == '10.60.9.2']")" \
    '[["uplink", "u1", "arp"]]'
log "10: ping 198.51.100.1 through the static route; the router ARPed for 10.60.9.2 and installed a route flow"

# --- 11. the apps' flows over OpenFlow --------------------------------------
if command -v ovs-ofctl >/dev/null; then
    run ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$OFPORT" table=20
    assert_eq "ovs-ofctl dump-flows table=20" "$RC" 0
    n=$(grep -c "cookie=$L3_COOKIE" <<<"$OUT" || true)
    assert_gt "ovs-ofctl: table-20 flows with the L3 app's cookie" "$n" 3
    grep -q "priority=4000,icmp,metadata=0x1,dl_dst=$ROUTER_MAC,nw_dst=10.60.1.1,icmp_type=8" <<<"$OUT" ||
        fail "ovs-ofctl does not show the echo flow: $OUT"
    run ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$OFPORT" "table=0,in_port=1"
    grep -q "cookie=0x4e46560001000000.*actions=write_metadata:0x1/0xffffffffffffffff,goto_table:1" <<<"$OUT" ||
        grep -q "cookie=0x4e46560001000000.*write_metadata:0x1" <<<"$OUT" ||
        fail "ovs-ofctl does not show the classify flow of b1: $OUT"
    log "11: ovs-ofctl sees the apps' flows with their cookies ($n in table 20)"
else
    log "11: skipped (no ovs-ofctl)"
fi

# --- the end: nothing held, clean exit -------------------------------------
in_use_zero() {
    run "$NFVCTL" -s "$SOCK" --json show
    [ "$RC" -eq 0 ] && [ "$(jget "$OUT" "sum(p['in_use'] for p in j['pools'])")" == 0 ]
}
wait_until "every mbuf back in the pool" in_use_zero
ctl shutdown
assert_ok "nfvctl shutdown"
nfv_wait_exit "$DAEMON_PID"
assert_eq "exit status after shutdown (no mbuf leaked)" "$EXIT_RC" 0
