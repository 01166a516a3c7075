#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs every Debian 12 package needed to build, run and test nfvswitch.
# Idempotent and quiet when everything is already there.
set -euo pipefail

packages=(
    # build
    build-essential meson ninja-build pkg-config
    libdpdk-dev libnuma-dev libpcap-dev libjansson-dev libcmocka-dev
    # run: DPDK's drivers (net_pcap, net_af_packet, net_ring, ...)
    dpdk
    # test and benchmark
    dpdk-dev iproute2 iputils-ping python3-scapy tcpdump valgrind
    # OpenFlow interop tests and benchmark: ovs-ofctl, os-ken
    openvswitch-common python3-os-ken
    # local-controller app tests and demo: real DHCP clients and arping
    isc-dhcp-client iputils-arping
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
