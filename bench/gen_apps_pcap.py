#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the input of scripts/bench_apps.sh: pcaps for the local-controller
apps (reactive L3 router, DHCP server), and the config both runs share.

Kinds of input (--kind):

route: --dests distinct destinations, one 64-byte IPv4/UDP frame each
    (60 bytes stored, as a NIC hands them over without the FCS), from the
    blue host SRC_MAC/SRC_IP to the router's MAC ROUTER_MAC, UDP 1024 -> 9.
    Destination k is 10.81.(1 + k // 250).(1 + k % 250) at
    02:00:00:01:(k >> 8):(k & 255), an endpoint on port out0 of network
    red (endpoints()[k + 1]; endpoints()[0] is the blue host). Frame k
    goes to destination k, so with infinite_rx every destination comes
    again once per pass through the file until the router's flow for it
    is in the datapath.
dhcp: --clients DHCP clients 02:10:00:XX:YY:ZZ (the client number), two
    frames each: a DISCOVER, then (not right after: see dhcp_order()) a
    REQUEST in the INIT-REBOOT style (option 50 requested IP, no server
    identifier, ciaddr 0). Client k asks for address k of the blue DHCP range
    (DHCP_RANGE[0] + k), in both messages, so the server can offer what
    the REQUEST then asks for. Broadcast from 0.0.0.0:68 to
    255.255.255.255:67 at ff:ff:ff:ff:ff:ff, the broadcast flag set,
    xid = client number, client identifier (61) = 01 + MAC, a parameter
    request list, padded to the 300-byte BOOTP minimum.

Packets are built with scapy (Debian's python3-scapy: run it with
/usr/bin/python3); DHCP frames from one scapy-built template per message
type with the per-client fields patched in, checked against scapy's frame
of the last client (scapy alone takes a millisecond per frame). Prints
{"frames": N}. bench_apps.sh imports config() (with endpoints() and
GATE) to write the switch config.
"""
import argparse
import ipaddress
import json
import random
import struct
import sys

ROUTER_MAC = "02:00:00:00:0a:01"
SRC_MAC = "02:00:00:00:00:02"           # the blue host of the route kind
SRC_IP = "10.80.0.2"
BLUE_CIDR = "10.80.0.0/16"
BLUE_GW = "10.80.0.1"
RED_CIDR = "10.81.0.0/16"
RED_GW = "10.81.0.1"
DHCP_RANGE = ("10.80.1.0", "10.80.250.255")
MAX_ENDPOINTS = 4096                    # the config's limit
MAX_DESTS = MAX_ENDPOINTS - 1           # one endpoint is the blue host
FRAME_LEN = 60                          # a 64-byte frame without its FCS
DHCP_PRL = [1, 3, 6, 15, 26, 28, 51, 58, 59, 121]
# Holds the input back until the benchmark is ready to time it: above the
# apps' table-0 rules; bench_apps.sh deletes it (strict) to start.
GATE = "table=0,priority=65535,in_port=in0"


def ip_add(base, n):
    return str(ipaddress.IPv4Address(base) + n)


def dhcp_range_size():
    return (int(ipaddress.IPv4Address(DHCP_RANGE[1])) -
            int(ipaddress.IPv4Address(DHCP_RANGE[0])) + 1)


def dest(k):
    """(MAC, IP) of destination k, an endpoint on out0 in red."""
    return ("02:00:00:01:%02x:%02x" % (k >> 8, k & 255),
            "10.81.%d.%d" % (1 + k // 250, 1 + k % 250))


def client_mac(k):
    return "02:10:00:%02x:%02x:%02x" % (k >> 16 & 255, k >> 8 & 255, k & 255)


def endpoints(n_dests):
    """The config's endpoints: the blue host on in0, then the n_dests
    destinations on out0."""
    eps = [{"port": "in0", "mac": SRC_MAC, "ip": SRC_IP}]
    for k in range(n_dests):
        mac, ip = dest(k)
        eps.append({"port": "out0", "mac": mac, "ip": ip})
    return eps


def config(in_devargs, out_devargs, n_dests, state_file, sock, mbufs,
           pktin_rate, pktin_burst, idle_timeout=300, lease_seconds=3600):
    """The switch config of both runs (JSON-ready dict): network blue
    (segment 100, port in0, subnet blue1 with DHCP over DHCP_RANGE) and
    red (segment 200, port out0, subnet red1), router r0 between them,
    the endpoints of endpoints(n_dests), OpenFlow off, and the GATE
    rule that drops everything from in0 until it is deleted. pktin_rate and
    pktin_burst go to both the apps' and the datapath's packet-in limits,
    so neither is what the run measures."""
    return {
        "pmd_cores": [1],
        "control_socket": sock,
        "mbufs": mbufs,
        "ports": [{"name": "in0", "devargs": in_devargs},
                  {"name": "out0", "devargs": out_devargs}],
        "networks": [
            {"name": "blue", "segment_id": 100, "ports": ["in0"],
             "subnets": [{"name": "blue1", "cidr": BLUE_CIDR,
                          "gateway": BLUE_GW,
                          "dhcp": {"enabled": True,
                                   "range": list(DHCP_RANGE),
                                   "lease_seconds": lease_seconds}}]},
            {"name": "red", "segment_id": 200, "ports": ["out0"],
             "subnets": [{"name": "red1", "cidr": RED_CIDR,
                          "gateway": RED_GW}]},
        ],
        "routers": [{"name": "r0", "mac": ROUTER_MAC,
                     "subnets": ["blue1", "red1"]}],
        "endpoints": endpoints(n_dests),
        "flows": [GATE + ",actions=drop"],
        "dhcp_state_file": state_file,
        "apps": {"flow_idle_timeout": idle_timeout,
                 "pktin_rate": pktin_rate, "pktin_burst": pktin_burst},
        "datapath": {"pktin_rate": pktin_rate, "pktin_burst": pktin_burst},
        "openflow": {},
    }


def route_frames(n_dests):
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    frames = []
    for k in range(n_dests):
        p = (Ether(src=SRC_MAC, dst=ROUTER_MAC) /
             IP(src=SRC_IP, dst=dest(k)[1], ttl=64) /
             UDP(sport=1024, dport=9))
        p = p / Raw(b"\0" * (FRAME_LEN - len(p)))
        frames.append(bytes(p))
    return frames


def dhcp_frame(k, mtype):
    """Client k's DISCOVER or REQUEST ('discover', 'request'), built by
    scapy."""
    from scapy.layers.dhcp import BOOTP, DHCP
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    mac = client_mac(k)
    chaddr = bytes.fromhex(mac.replace(":", ""))
    bootp = (BOOTP(op=1, htype=1, hlen=6, xid=k, flags=0x8000,
                   ciaddr="0.0.0.0", chaddr=chaddr + b"\0" * 10) /
             DHCP(options=[("message-type", mtype),
                           ("client_id", b"\x01" + chaddr),
                           ("requested_addr", ip_add(DHCP_RANGE[0], k)),
                           ("param_req_list", DHCP_PRL),
                           "end"]))
    short = 300 - len(bootp)
    if short > 0:   # Raw, not Padding: inside the UDP length
        bootp = bootp / Raw(b"\0" * short)
    return bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                 IP(src="0.0.0.0", dst="255.255.255.255", ttl=64) /
                 UDP(sport=68, dport=67) / bootp)


def udp_csum(frame):
    """The UDP checksum of an Ethernet/IPv4 (no options)/UDP frame."""
    ip_len = struct.unpack_from("!H", frame, 16)[0]
    udp = bytearray(frame[34:14 + ip_len])
    udp[6:8] = b"\0\0"
    if len(udp) % 2:
        udp.append(0)
    s = sum(struct.unpack_from("!4H", frame, 26)) + 17 + ip_len - 20
    s += sum(struct.unpack("!%dH" % (len(udp) // 2), udp))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s & 0xffff) or 0xffff


class DhcpTemplate:
    """Client 0's frame of one message type from scapy; any other client's
    is that frame with the MAC (Ethernet source, chaddr, client id), xid,
    requested IP and UDP checksum replaced, since scapy takes about 1 ms a
    frame. Checked against scapy's own frame of the last client."""

    def __init__(self, mtype):
        self.mtype = mtype
        self.frame = dhcp_frame(0, mtype)
        f = self.frame
        chaddr = bytes.fromhex(client_mac(0).replace(":", ""))
        ip0 = bytes(map(int, DHCP_RANGE[0].split(".")))
        assert f[6:12] == chaddr and f[42] == 1
        self.xid = 42 + 4
        self.chaddr = 42 + 28
        assert f[self.chaddr:self.chaddr + 6] == chaddr
        self.client_id = f.index(b"\x3d\x07\x01" + chaddr, 42 + 240) + 3
        self.req_ip = f.index(b"\x32\x04" + ip0, 42 + 240) + 2

    def build(self, k):
        f = bytearray(self.frame)
        mac = bytes.fromhex(client_mac(k).replace(":", ""))
        f[6:12] = mac
        f[self.xid:self.xid + 4] = struct.pack("!I", k)
        f[self.chaddr:self.chaddr + 6] = mac
        f[self.client_id:self.client_id + 6] = mac
        ip = int(ipaddress.IPv4Address(DHCP_RANGE[0])) + k
        f[self.req_ip:self.req_ip + 4] = struct.pack("!I", ip)
        f[40:42] = struct.pack("!H", udp_csum(f))
        return bytes(f)


def dhcp_order(n_clients):
    """(message type, client) in file order: client k's DISCOVER before
    its REQUEST, the two kinds mixed by a seeded coin. Strict pairs would
    put a DISCOVER at every even offset, so a worker's 32-frame rx bursts
    would always start with one, and a packet-in limit that lets one
    packet per millisecond through (1000/s) would pass DISCOVERs only."""
    rng = random.Random(1)
    order = []
    d = r = 0
    while r < n_clients:
        if d < n_clients and (d == r or rng.random() < 0.5):
            order.append(("discover", d))
            d += 1
        else:
            order.append(("request", r))
            r += 1
    return order


def dhcp_frames(n_clients):
    tmpl = {m: DhcpTemplate(m) for m in ("discover", "request")}
    for t in tmpl.values():
        if t.build(n_clients - 1) != dhcp_frame(n_clients - 1, t.mtype):
            raise SystemExit("gen_apps_pcap: the %s template differs from "
                             "scapy's frame" % t.mtype)
    return [tmpl[m].build(k) for m, k in dhcp_order(n_clients)]


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("-k", "--kind", choices=("route", "dhcp"),
                    required=True, help="which input")
    ap.add_argument("-o", "--output", required=True, help="pcap to write")
    ap.add_argument("--dests", type=int, default=4000,
                    help="route: destinations, 1..%d (default %%(default)s)"
                    % MAX_DESTS)
    ap.add_argument("--clients", type=int, default=10000,
                    help="dhcp: clients, 1..%d, the size of the DHCP range "
                    "(default %%(default)s)" % dhcp_range_size())
    args = ap.parse_args()
    if args.kind == "route" and not 1 <= args.dests <= MAX_DESTS:
        ap.error("--dests %d: expected 1..%d (the config holds %d endpoints,"
                 " one is the source)" % (args.dests, MAX_DESTS,
                                          MAX_ENDPOINTS))
    if args.kind == "dhcp" and not 1 <= args.clients <= dhcp_range_size():
        ap.error("--clients %d: expected 1..%d (one address each in %s-%s)"
                 % (args.clients, dhcp_range_size(), *DHCP_RANGE))

    frames = (route_frames(args.dests) if args.kind == "route"
              else dhcp_frames(args.clients))
    with open(args.output, "wb") as f:
        # Classic pcap, microsecond timestamps, LINKTYPE_ETHERNET.
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000,
                                len(frame), len(frame)))
            f.write(frame)
    print(json.dumps({"frames": len(frames)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
