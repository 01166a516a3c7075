#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# nfvswitch as the virtual network of three VMs, in one command. The VMs
# are Linux network namespaces, each wired by a veth pair to an nfvswitch
# port (net_af_packet):
#
#   blue  10.70.1.0/24   vm1 (a known endpoint: fixed address 10.70.1.10)
#                        vm2 (any MAC: an address from the DHCP range)
#   red   10.70.2.0/24   vm3
#
# Both subnets are on router r0. The VMs run dhclient and get everything
# from nfvswitch's own apps: addresses and options from the DHCP server,
# the gateway's MAC from the ARP responder, routing between the subnets
# from the L3 app, which installs a flow per destination as traffic comes.
# vm1 pings its gateway and then vm3 on the other subnet; the demo prints
# what the apps did (leases, ARP bindings, routes and flows, counters) and
# stops everything and cleans up, also on Ctrl-C or failure. Needs root
# (namespaces); installs dependencies and builds if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "demo: needs root for network namespaces: sudo $0" >&2
    exit 1
fi
./scripts/install-deps.sh
{ [ -x build/nfvswitch ] && [ -x build/nfvctl ]; } || ./scripts/build.sh

tag=nfvd$$                         # "$tag-vm1": at most 15 characters
work=$(mktemp -d /tmp/nfvswitch-demo.XXXXXX)
sock=$work/nfvswitch.sock
ofport=$((16000 + $$ % 1000))      # OpenFlow listener, away from 6653
pid=
vms=(vm1 vm2 vm3)

cleanup() {
    set +e
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        build/nfvctl -s "$sock" shutdown >/dev/null 2>&1 || kill "$pid"
        wait "$pid" 2>/dev/null
    fi
    for vm in "${vms[@]}"; do
        # dhclient (and anything else) still running in the VM
        for p in $(ip netns pids "$tag-$vm" 2>/dev/null); do
            kill "$p" 2>/dev/null
        done
        ip netns del "$tag-$vm" 2>/dev/null
        ip link del "$tag-$vm" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ctl() { build/nfvctl -s "$sock" "$@"; }
in_vm() {           # VM COMMAND...
    local vm=$1
    shift
    ip netns exec "$tag-$vm" "$@"
}

say "Three VMs (network namespaces), each on a veth pair to an nfvswitch port"
for vm in "${vms[@]}"; do
    ip netns add "$tag-$vm"
    ip link add "$tag-$vm" type veth peer name eth0 netns "$tag-$vm"
    sysctl -qw "net.ipv6.conf.$tag-$vm.disable_ipv6=1"
    in_vm "$vm" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
    ip link set "$tag-$vm" up
    ip -n "$tag-$vm" link set lo up
done
# vm1 is the endpoint the config knows by its MAC; the others keep theirs.
ip -n "$tag-vm1" link set eth0 address 02:00:00:70:01:10
for vm in "${vms[@]}"; do
    echo "$vm: MAC $(in_vm "$vm" cat /sys/class/net/eth0/address), port $tag-$vm"
done

cat >"$work/demo.json" <<JSON
{
    "eal": ["-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
            "--file-prefix", "$tag", "--log-level", "lib.*:warning"],
    "pmd_cores": [1],
    "control_socket": "$sock",
    "openflow": {"listen": ["ptcp:$ofport:127.0.0.1"]},
    "ports": [
        {"name": "vm1", "devargs": "net_af_packet0,iface=$tag-vm1"},
        {"name": "vm2", "devargs": "net_af_packet1,iface=$tag-vm2"},
        {"name": "vm3", "devargs": "net_af_packet2,iface=$tag-vm3"}
    ],
    "networks": [
        {"name": "blue", "segment_id": 100, "ports": ["vm1", "vm2"],
         "subnets": [{"name": "blue1", "cidr": "10.70.1.0/24",
                      "gateway": "10.70.1.1",
                      "dhcp": {"enabled": true,
                               "range": ["10.70.1.100", "10.70.1.150"],
                               "dns": ["10.70.1.1"], "domain": "blue.demo",
                               "lease_seconds": 3600}}]},
        {"name": "red", "segment_id": 200, "ports": ["vm3"],
         "subnets": [{"name": "red1", "cidr": "10.70.2.0/24",
                      "gateway": "10.70.2.1",
                      "dhcp": {"enabled": true,
                               "range": ["10.70.2.100", "10.70.2.150"],
                               "lease_seconds": 3600}}]}
    ],
    "routers": [
        {"name": "r0", "mac": "02:00:00:00:70:01", "subnets": ["blue1", "red1"]}
    ],
    "endpoints": [
        {"port": "vm1", "mac": "02:00:00:70:01:10", "ip": "10.70.1.10"}
    ],
    "dhcp_state_file": "$work/leases",
    "apps": {"flow_idle_timeout": 60}
}
JSON

say "Starting nfvswitch (1 PMD worker on core 1, no hugepages) with the tenant config"
build/nfvswitch -c "$work/demo.json" >"$work/nfvswitch.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    ctl version >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/nfvswitch.log"; exit 1; }
    sleep 0.1
done
ctl version
echo "blue 10.70.1.0/24 (vm1, vm2) and red 10.70.2.0/24 (vm3), both on router r0"

say "Each VM runs dhclient; nfvswitch's DHCP app answers"
# A script for dhclient that only sets the address and the default route
# in the VM (nothing on this host, no resolv.conf).
cat >"$work/dhclient-script" <<'EOF'
#!/bin/sh
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
        ip link set dev "$interface" up ;;
    BOUND | RENEW | REBIND | REBOOT)
        ip -4 addr replace "$new_ip_address/$(masklen "$new_subnet_mask")" dev "$interface"
        [ -z "$new_routers" ] ||
            ip -4 route replace default via "${new_routers%% *}" dev "$interface" ;;
esac
exit 0
EOF
chmod 755 "$work/dhclient-script"
printf 'timeout 30;\ninitial-interval 1;\nbackoff-cutoff 2;\n' >"$work/dhclient.conf"
for vm in "${vms[@]}"; do
    if ! timeout 45 ip netns exec "$tag-$vm" dhclient -1 -v \
        -cf "$work/dhclient.conf" -sf "$work/dhclient-script" \
        -lf "$work/$vm.leases" -pf "$work/$vm.pid" eth0 \
        >"$work/$vm.dhclient.log" 2>&1; then
        cat "$work/$vm.dhclient.log"
        echo "demo: dhclient in $vm got no lease" >&2
        exit 1
    fi
    echo "$vm: $(grep -h '^DHCPACK' "$work/$vm.dhclient.log" | tail -n 1)," \
        "now $(ip -n "$tag-$vm" -4 -o addr show dev eth0 | awk '{print $4}')," \
        "$(ip -n "$tag-$vm" -4 route show default | sed 's/ *$//')"
done
vm3_ip=$(ip -n "$tag-vm3" -4 -o addr show dev eth0 | awk '{print $4}')
vm3_ip=${vm3_ip%/*}

say "vm1 pings its gateway 10.70.1.1 (the ARP app answers for it, the router replies)"
in_vm vm1 ping -n -c 3 -i 0.2 -W 2 10.70.1.1

say "vm1 pings vm3 ($vm3_ip) on the red subnet, routed by r0"
in_vm vm1 ping -n -c 5 -i 0.2 -W 2 "$vm3_ip"

say "nfvctl dhcp-leases: what the DHCP app gave out"
ctl dhcp-leases
say "nfvctl arp-show: the IP/MAC bindings per network"
ctl arp-show
say "nfvctl route-show: router r0, its subnets and the flows it set up"
ctl route-show
say "nfvctl dump-flows table=20: the reactive per-destination flows"
ctl dump-flows table=20
if command -v ovs-ofctl >/dev/null; then
    say "ovs-ofctl sees the same flows over OpenFlow 1.3 (here: those to vm3)"
    ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$ofport" "table=20,ip,nw_dst=$vm3_ip"
fi
say "nfvctl app-stats: what the ARP, DHCP and L3 apps handled"
ctl app-stats
say "nfvctl pmd-stats-show"
ctl pmd-stats-show

say "Stopping"
ctl shutdown
wait "$pid"
pid=
echo "nfvswitch exited cleanly (leases saved to its dhcp_state_file); VMs removed"
