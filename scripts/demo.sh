#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job of nfvswitch in one command: two Linux hosts (network
# namespaces) wired by veth pairs to nfvswitch ports (net_af_packet),
# pinging each other through the switch's PMD worker. Prints nfvctl show
# and pmd-stats-show, then stops everything and cleans up, also on Ctrl-C
# or failure. Needs root (namespaces); installs dependencies and builds if
# needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "demo: needs root for network namespaces: sudo $0" >&2
    exit 1
fi
[ -x build/nfvswitch ] || ./scripts/build.sh

tag=nfvdemo$$
work=$(mktemp -d /tmp/nfvswitch-demo.XXXXXX)
sock=$work/nfvswitch.sock
ofport=$((16000 + $$ % 1000))      # OpenFlow listener, away from 6653
pid=

cleanup() {
    set +e
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        build/nfvctl -s "$sock" shutdown >/dev/null 2>&1 || kill "$pid"
        wait "$pid" 2>/dev/null
    fi
    for i in 1 2; do
        ip netns del "${tag}h$i" 2>/dev/null
        ip link del "${tag}v$i" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Two hosts in network namespaces, each on a veth pair to nfvswitch"
for i in 1 2; do
    ip netns add "${tag}h$i"
    ip link add "${tag}v$i" type veth peer name eth0 netns "${tag}h$i"
    sysctl -qw "net.ipv6.conf.${tag}v$i.disable_ipv6=1"
    ip link set "${tag}v$i" up
    ip -n "${tag}h$i" addr add "10.0.0.$i/24" dev eth0
    ip -n "${tag}h$i" link set eth0 up
    ip -n "${tag}h$i" link set lo up
    echo "host h$i: 10.0.0.$i on ${tag}v$i"
done

cat >"$work/demo.json" <<JSON
{
    "eal": ["-l", "0-1", "--no-huge", "-m", "256", "--no-pci",
            "--file-prefix", "$tag", "--log-level", "lib.*:warning"],
    "pmd_cores": [1],
    "control_socket": "$sock",
    "openflow": {"listen": ["ptcp:$ofport:127.0.0.1"]},
    "ports": [
        {"name": "h1", "devargs": "net_af_packet0,iface=${tag}v1"},
        {"name": "h2", "devargs": "net_af_packet1,iface=${tag}v2"}
    ],
    "flows": [
        "table=0,priority=10,in_port=h1,actions=output:h2",
        "table=0,priority=10,in_port=h2,actions=output:h1"
    ]
}
JSON

say "Starting nfvswitch (1 PMD worker on core 1, no hugepages)"
build/nfvswitch -c "$work/demo.json" >"$work/nfvswitch.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    build/nfvctl -s "$sock" version >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/nfvswitch.log"; exit 1; }
    sleep 0.1
done
build/nfvctl -s "$sock" version

say "h1 pings h2 through the switch"
ip netns exec "${tag}h1" ping -c 5 -i 0.2 -W 2 10.0.0.2

say "nfvctl dump-flows"
build/nfvctl -s "$sock" dump-flows
if command -v ovs-ofctl >/dev/null; then
    say "ovs-ofctl sees the same switch over OpenFlow 1.3"
    ovs-ofctl -O OpenFlow13 dump-flows "tcp:127.0.0.1:$ofport"
fi
say "nfvctl show"
build/nfvctl -s "$sock" show
say "nfvctl pmd-stats-show"
build/nfvctl -s "$sock" pmd-stats-show

say "Stopping"
build/nfvctl -s "$sock" shutdown
wait "$pid"
pid=
echo "nfvswitch exited cleanly; namespaces removed"
