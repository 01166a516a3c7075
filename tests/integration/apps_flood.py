#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Malformed DHCP and ARP for the apps test (test_apps.sh).

  apps_flood.py IFACE [--dhcp N] [--arp N] [--garp N] [--duration S]
                [--gateway IP] [--endpoint IP] [--src-ip IP]
                [--avoid IP,IP,...] [--chaddr MAC] [--seed N]

Sends from IFACE (run it inside the VM's network namespace):

- N DHCP client messages (UDP 68 -> 67, broadcast) that the DHCP app must
  count as malformed: BOOTP headers cut short, bad op and hlen, no room
  for or a wrong magic cookie, an option running past the end, no end
  option, option overload, options of invalid length, a repeated message
  type, no message type, a message type out of range. Every one carries
  the client hardware address --chaddr, so a server that took one for a
  good DISCOVER would show a lease for that MAC.
- N ARP frames that the ARP app must count as malformed: requests for the
  gateway or the endpoint with a zero, broadcast or multicast sender MAC,
  operations other than request and reply, and (these never reach the app,
  the datapath does not parse them as Ethernet/IPv4 ARP) bad hardware and
  protocol types and lengths, and payloads shorter than 28 bytes.
- N gratuitous ARP requests, each from a random MAC announcing a random IP
  (none of --gateway, --endpoint, --src-ip and --avoid).

The frames are built first (scapy), shuffled (--seed), then sent through
a raw socket in bursts of 20 spread evenly over --duration seconds. It
prints "sending" (flushed) when it starts to send, and at the end one
JSON line with how many frames of each kind were sent.
"""

import argparse
import errno
import ipaddress
import json
import random
import socket
import struct
import sys
import time

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

BROADCAST = "ff:ff:ff:ff:ff:ff"
COOKIE = b"\x63\x82\x53\x63"
END = b"\xff"
BURST = 20


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def ip_bytes(ip):
    return socket.inet_aton(ip)


def iface_mac(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return f.read().strip()


# --- DHCP ------------------------------------------------------------------

def bootp(rng, chaddr, op=1, htype=1, hlen=6):
    """The 236-byte BOOTP header of a client message."""
    hdr = struct.pack("!BBBBIHH4s4s4s4s", op, htype, hlen, 0,
                      rng.getrandbits(32), 0, 0x8000, bytes(4), bytes(4),
                      bytes(4), bytes(4))
    hdr += chaddr.ljust(16, b"\0")
    hdr += bytes(64) + bytes(128)       # sname, file
    assert len(hdr) == 236
    return hdr


def opt(code, value):
    return bytes([code, len(value)]) + value


DISCOVER = opt(53, b"\x01")


def dhcp_payloads(rng, chaddr):
    """One malformed BOOTP/DHCP payload of each kind, by name."""
    h = bootp(rng, chaddr)
    cid = opt(61, b"\x01" + chaddr)
    kinds = {
        # shorter than the BOOTP header
        "short": lambda: h[:rng.randrange(0, 236)],
        "bad-op": lambda: bootp(rng, chaddr, op=rng.choice([0, 3, 7, 255]))
        + COOKIE + DISCOVER + END,
        "bad-hlen": lambda: bootp(rng, chaddr, hlen=rng.randrange(17, 256))
        + COOKIE + DISCOVER + END,
        # 236..239 bytes: no room for the cookie
        "no-cookie": lambda: h + COOKIE[:rng.randrange(0, 4)],
        "bad-cookie": lambda: h + rng.choice(
            [b"\x63\x82\x53\x64", b"\x00\x00\x00\x00", b"\xff\xff\xff\xff",
             b"\x53\x63\x82\x63"]) + DISCOVER + END,
        # an option whose length runs past the end (also the type itself)
        "overrun": lambda: h + COOKIE + rng.choice(
            [DISCOVER + bytes([12, 200]) + b"host",
             bytes([53, 60, 1]),
             DISCOVER + cid + bytes([55, 255, 1, 3, 6]),
             DISCOVER + bytes([61])]),
        "no-end": lambda: h + COOKIE + DISCOVER + cid,
        "overload": lambda: h + COOKIE + DISCOVER + opt(52, b"\x03") + END,
        "bad-opt-len": lambda: h + COOKIE + rng.choice(
            [opt(53, b"\x01\x01"), DISCOVER + opt(50, b"\x0a\x3c\x01"),
             DISCOVER + opt(54, b"\x0a\x3c\x01\x01\x00"),
             DISCOVER + opt(51, b"\x00\x01")]) + END,
        "dup-type": lambda: h + COOKIE + DISCOVER + opt(53, b"\x03") + END,
        "no-type": lambda: h + COOKIE + cid + opt(12, b"flood") + END,
        "bad-type": lambda: h + COOKIE
        + opt(53, bytes([rng.choice([0, 9, 18, 200, 255])])) + END,
    }
    return kinds


def dhcp_frames(rng, n, src_mac, chaddr):
    kinds = dhcp_payloads(rng, chaddr)
    names = sorted(kinds)
    out = []
    for i in range(n):
        name = names[i % len(names)]
        pkt = (Ether(src=src_mac, dst=BROADCAST)
               / IP(src="0.0.0.0", dst="255.255.255.255", ttl=64)
               / UDP(sport=68, dport=67) / Raw(kinds[name]()))
        out.append(("dhcp", bytes(pkt)))
    return out


# --- ARP -------------------------------------------------------------------

def arp(op=1, sha=None, spa="0.0.0.0", tha=bytes(6), tpa="0.0.0.0",
        htype=1, ptype=0x0800, hlen=6, plen=4):
    return (struct.pack("!HHBBH", htype, ptype, hlen, plen, op)
            + sha + ip_bytes(spa) + tha + ip_bytes(tpa))


def arp_frame(src_mac, payload, dst=BROADCAST):
    return bytes(Ether(src=src_mac, dst=dst, type=0x0806) / Raw(payload))


def arp_frames(rng, n, src_mac, src_ip, targets):
    me = mac_bytes(src_mac)

    def bad_sha():
        sha = rng.choice([bytes(6), b"\xff" * 6,
                          b"\x01\x00\x5e\x00\x00" + bytes([rng.randrange(256)]),
                          b"\x33\x33\x00\x00\x00\x01",
                          b"\x03" + bytes(rng.randrange(256) for _ in range(5))])
        return arp(op=1, sha=sha, spa=src_ip, tpa=rng.choice(targets))

    def bad_op():
        return arp(op=rng.choice([0, 3, 4, 5, 8, 9, 10, 25, 0xffff]), sha=me,
                   spa=src_ip, tpa=rng.choice(targets))

    def bad_hlen():
        return arp(hlen=rng.choice([0, 1, 5, 7, 8, 16, 255]), sha=me,
                   spa=src_ip, tpa=rng.choice(targets))

    def bad_plen():
        return arp(plen=rng.choice([0, 3, 5, 6, 16, 255]), sha=me,
                   spa=src_ip, tpa=rng.choice(targets))

    def bad_types():
        return arp(htype=rng.choice([0, 6, 0xffff]),
                   ptype=rng.choice([0x0800, 0x86dd, 0]), sha=me,
                   spa=src_ip, tpa=rng.choice(targets))

    def short():
        good = arp(op=1, sha=me, spa=src_ip, tpa=rng.choice(targets))
        return good[:rng.randrange(0, 28)]

    # The first two reach the ARP app; weight them so that most do.
    kinds = [bad_sha, bad_sha, bad_sha, bad_op, bad_op, bad_op,
             bad_hlen, bad_plen, bad_types, short]
    return [("arp", arp_frame(src_mac, kinds[i % len(kinds)]()))
            for i in range(n)]


def random_mac(rng):
    b = [rng.randrange(256) for _ in range(6)]
    b[0] = (b[0] & 0xfc) | 0x02         # unicast, locally administered
    return ":".join("%02x" % x for x in b)


def random_ip(rng, network, avoid):
    while True:
        if rng.random() < 0.5:
            ip = str(network[rng.randrange(2, network.num_addresses - 1)])
        else:
            ip = "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256),
                                  rng.randrange(1, 255))
        if ip not in avoid:
            return ip


def garp_frames(rng, n, network, avoid):
    out = []
    for _ in range(n):
        mac = random_mac(rng)
        ip = random_ip(rng, network, avoid)
        out.append(("garp", arp_frame(
            mac, arp(op=1, sha=mac_bytes(mac), spa=ip, tpa=ip))))
    return out


# --- sending ---------------------------------------------------------------

def send_all(iface, frames, duration):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    n_bursts = max(1, (len(frames) + BURST - 1) // BURST)
    gap = duration / n_bursts
    sent = {}
    start = time.monotonic()
    for b in range(n_bursts):
        for kind, frame in frames[b * BURST:(b + 1) * BURST]:
            for _ in range(100):
                try:
                    s.send(frame)
                    break
                except OSError as e:
                    if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                        raise
                    time.sleep(0.001)
            sent[kind] = sent.get(kind, 0) + 1
        delay = start + (b + 1) * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    s.close()
    return sent


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("iface")
    ap.add_argument("--dhcp", type=int, default=2000)
    ap.add_argument("--arp", type=int, default=2000)
    ap.add_argument("--garp", type=int, default=500)
    ap.add_argument("--duration", type=float, default=4.0)
    ap.add_argument("--gateway", default="10.60.1.1")
    ap.add_argument("--endpoint", default="10.60.1.10")
    ap.add_argument("--src-ip", default="10.60.1.100")
    ap.add_argument("--subnet", default="10.60.1.0/24")
    ap.add_argument("--avoid", default="",
                    help="comma-separated IPs no gratuitous ARP may claim")
    ap.add_argument("--chaddr", default="02:00:00:00:ee:ee")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    src_mac = iface_mac(a.iface)
    avoid = {a.gateway, a.endpoint, a.src_ip}
    avoid.update(x for x in a.avoid.split(",") if x)
    frames = dhcp_frames(rng, a.dhcp, src_mac, mac_bytes(a.chaddr))
    frames += arp_frames(rng, a.arp, src_mac, a.src_ip,
                         [a.gateway, a.endpoint])
    frames += garp_frames(rng, a.garp, ipaddress.ip_network(a.subnet), avoid)
    rng.shuffle(frames)

    print("sending", flush=True)
    sent = send_all(a.iface, frames, a.duration)
    print(json.dumps(sent, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
