#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the benchmark input: a classic pcap of Ethernet/IPv4/UDP frames.

Kinds of input (--kind):

p2p (default): 10.0.0.1 -> 10.0.0.2, UDP port 9, the source port varied
    per frame (1024, 1025, ...), so a flow cache sees --frames distinct
    flows.
l3: --flows distinct 5-tuples towards 1,000 /24 prefixes 10.X.Y.0/24
    (X = 1 + p // 256, Y = p % 256 for prefix p = flow % 1000; host
    1 + (flow // 1000) % 254). Source address 172.16.0.0 + flow (within
    172.16.0.0/12) and source port 1024 + flow % 64000 count up together,
    as a traffic generator makes them; UDP port 9. Frame k is flow
    k % flows: every flow once per pass, so nothing stays in a cache
    between two packets of a flow unless the cache holds every flow.
flood: --flows new flows, each to its own /32 in 20.0.0.0/8:
    20.0.0.0 + (--offset + flow), from 11.0.0.0 + (--offset + flow),
    source port 1024 + (--offset + flow) % 64000. --offset keeps the flows
    of several files apart.

Frames go from 02:00:00:00:00:01 to 02:00:00:00:00:02 with valid IPv4
and UDP checksums. --size is the frame size on the wire including the
4-byte FCS (RFC 2544 convention): a 64-byte frame is stored as 60 bytes,
as a NIC would hand it to DPDK. Plain Python (struct, no per-byte work):
a million frames take a few seconds.
"""
import argparse
import struct
import sys

FCS_LEN = 4
HDR_LEN = 14 + 20 + 8   # Ethernet, IPv4, UDP
DST_MAC = bytes.fromhex("020000000002")
SRC_MAC = bytes.fromhex("020000000001")
DST_PORT = 9            # discard
L3_PREFIXES = 1000
MAX_FLOWS = 1 << 20     # 172.16.0.0/12 holds the l3 sources

# A record: the pcap packet header, then the Ethernet, IPv4 and UDP
# headers; the payload is zeros and stays as bytearray() made it.
PKT_HDR = struct.Struct("<IIII")
FRAME_HDR = struct.Struct("!6s6sHBBHHHBBHIIHHHH")


def fold(s):
    """Folds a sum of 16-bit words into the one's complement checksum."""
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def words(addr):
    """Sum of the two 16-bit halves of an IPv4 address (host order int)."""
    return (addr >> 16) + (addr & 0xffff)


def p2p_flow(i, n_flows):
    return 0x0a000001, 0x0a000002, 1024 + i % n_flows


def l3_prefix(p):
    """Prefix 'p' (0..L3_PREFIXES - 1) of the l3 kind: 10.X.Y.0."""
    return 10 << 24 | (1 + p // 256) << 16 | (p % 256) << 8


def l3_flow(i, n_flows):
    f = i % n_flows
    dst = l3_prefix(f % L3_PREFIXES) + 1 + (f // L3_PREFIXES) % 254
    return 0xac100000 + f, dst, 1024 + f % 64000


def l3_rules(out_port):
    """The OpenFlow rules that route the l3 kind: one per /24 prefix,
    rewriting the MACs, decrementing the TTL and sending to 'out_port'."""
    rules = []
    for p in range(L3_PREFIXES):
        a = l3_prefix(p)
        rules.append("table=0,priority=10,ip,nw_dst=%d.%d.%d.0/24,"
                     "actions=mod_dl_src:02:00:00:00:00:01,"
                     "mod_dl_dst:02:00:00:00:01:%02x,dec_ttl,output:%s"
                     % (a >> 24, a >> 16 & 0xff, a >> 8 & 0xff, p % 256,
                        out_port))
    return rules


def flood_rules(out_port):
    """Rules that give each flow of the flood kind a megaflow of its own,
    sent to 'out_port'. Table 0 sends 20.0.0.0/8 to table 1 (below the
    l3 routes, so l3 flows never get there and keep their /24 megaflows).
    In table 1 a rule matching a whole UDP 5-tuple that no packet has makes
    every walk probe, and so the megaflow match, source and destination
    address and both ports exactly, as an ACL of 5-tuples would; the
    catch-all below it forwards. Each new flow thus needs a table walk."""
    return [
        "table=0,priority=5,ip,nw_dst=20.0.0.0/8,actions=goto_table:1",
        "table=1,priority=10,udp,nw_src=0.0.0.1,nw_dst=0.0.0.1,"
        "tp_src=1,tp_dst=1,actions=drop",
        "table=1,priority=0,actions=output:%s" % out_port,
    ]


def flood_flow(i, n_flows, offset):
    f = offset + i % n_flows
    return 0x0b000000 + f, 0x14000000 + f, 1024 + f % 64000


def write_pcap(path, n_frames, length, flow):
    """Writes 'n_frames' frames of 'length' bytes; flow(i) gives frame i's
    (source address, destination address, source port)."""
    rec_len = 16 + length
    ip_len = length - 14
    udp_len = ip_len - 20
    # Checksums: the constant words once, the varying ones per frame.
    ip_const = 0x4500 + ip_len + 0x4000 + (64 << 8 | 17)
    udp_const = 17 + udp_len + DST_PORT + udp_len
    buf = bytearray(rec_len * n_frames)
    pack_hdr = PKT_HDR.pack_into
    pack_frame = FRAME_HDR.pack_into
    for i in range(n_frames):
        src, dst, sport = flow(i)
        sd = words(src) + words(dst)
        ofs = i * rec_len
        pack_hdr(buf, ofs, i // 1000000, i % 1000000, length, length)
        pack_frame(buf, ofs + 16, DST_MAC, SRC_MAC, 0x0800,
                   0x45, 0, ip_len, 0, 0x4000, 64, 17, fold(ip_const + sd),
                   src, dst, sport, DST_PORT, udp_len,
                   fold(udp_const + sd + sport) or 0xffff)
    with open(path, "wb") as f:
        # Classic pcap, microsecond timestamps, LINKTYPE_ETHERNET.
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        f.write(buf)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("-o", "--output", default="/tmp/nfvswitch-bench-64.pcap",
                    help="pcap to write (default: %(default)s)")
    ap.add_argument("-k", "--kind", choices=("p2p", "l3", "flood"),
                    default="p2p", help="what the frames look like "
                    "(default: %(default)s)")
    ap.add_argument("-f", "--flows", type=int,
                    help="distinct flows (l3, flood; p2p: --frames)")
    ap.add_argument("-n", "--frames", type=int,
                    help="number of frames (default: 1024 for p2p, else "
                         "--flows times the repeats that reach 1024)")
    ap.add_argument("--offset", type=int, default=0,
                    help="first flow number of a flood file (default 0)")
    ap.add_argument("-s", "--size", type=int, default=64,
                    help="frame size including FCS, 64..1518 "
                         "(default: %(default)s)")
    args = ap.parse_args()
    if not 64 <= args.size <= 1518:
        ap.error("--size %d: expected 64..1518" % args.size)
    if args.kind == "p2p":
        frames = args.frames if args.frames is not None else 1024
        flows = args.flows if args.flows is not None else frames
        if not 1 <= flows <= 65535 - 1024:
            ap.error("--flows %d: expected 1..%d for p2p"
                     % (flows, 65535 - 1024))
    else:
        if args.flows is None:
            ap.error("--kind %s needs --flows" % args.kind)
        flows = args.flows
        if not 1 <= flows <= MAX_FLOWS:
            ap.error("--flows %d: expected 1..%d" % (flows, MAX_FLOWS))
        frames = args.frames
        if frames is None:
            frames = flows * -(-1024 // flows)
    if frames < 1:
        ap.error("--frames %d: expected at least 1" % frames)
    if not 0 <= args.offset or args.offset + flows > 1 << 24:
        ap.error("--offset %d: flows must stay within 20.0.0.0/8"
                 % args.offset)

    if args.kind == "p2p":
        flow = lambda i: p2p_flow(i, flows)
    elif args.kind == "l3":
        flow = lambda i: l3_flow(i, flows)
    else:
        flow = lambda i: flood_flow(i, flows, args.offset)
    write_pcap(args.output, frames, args.size - FCS_LEN, flow)
    return 0


if __name__ == "__main__":
    sys.exit(main())
