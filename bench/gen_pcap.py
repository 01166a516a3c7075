#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the benchmark input: a classic pcap of Ethernet/IPv4/UDP frames.

Frames go from 02:00:00:00:00:01 / 10.0.0.1 to 02:00:00:00:00:02 / 10.0.0.2,
UDP port 9, with the source port varied per frame (1024, 1025, ...) so a
flow cache sees --frames distinct flows. --size is the frame size on the
wire including the 4-byte FCS (RFC 2544 convention): a 64-byte frame is
stored as 60 bytes, as a NIC would hand it to DPDK. Plain Python (struct)
so scripts/bench.sh needs nothing beyond the interpreter.
"""
import argparse
import struct
import sys

FCS_LEN = 4
HDR_LEN = 14 + 20 + 8   # Ethernet, IPv4, UDP
DST_MAC = bytes.fromhex("020000000002")
SRC_MAC = bytes.fromhex("020000000001")
SRC_IP = bytes([10, 0, 0, 1])
DST_IP = bytes([10, 0, 0, 2])
DST_PORT = 9            # discard


def csum(data):
    """Internet checksum (RFC 1071) of 'data'."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src_port, length):
    """One Ethernet/IPv4/UDP frame of 'length' bytes (without FCS)."""
    payload = bytes(length - HDR_LEN)
    udp_len = 8 + len(payload)
    pseudo = SRC_IP + DST_IP + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", src_port, DST_PORT, udp_len, 0) + payload
    udp_sum = csum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", udp_sum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0x4000,
                     64, 17, 0, SRC_IP, DST_IP)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return DST_MAC + SRC_MAC + b"\x08\x00" + ip + udp


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="/tmp/nfvswitch-bench-64.pcap",
                    help="pcap to write (default: %(default)s)")
    ap.add_argument("-n", "--frames", type=int, default=1024,
                    help="number of frames, one UDP source port each "
                         "(default: %(default)s)")
    ap.add_argument("-s", "--size", type=int, default=64,
                    help="frame size including FCS, 64..1518 "
                         "(default: %(default)s)")
    args = ap.parse_args()
    if not 64 <= args.size <= 1518:
        ap.error("--size %d: expected 64..1518" % args.size)
    if not 1 <= args.frames <= 65535 - 1024:
        ap.error("--frames %d: expected 1..%d" % (args.frames, 65535 - 1024))

    length = args.size - FCS_LEN
    with open(args.output, "wb") as f:
        # Classic pcap, microsecond timestamps, LINKTYPE_ETHERNET.
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(args.frames):
            f.write(struct.pack("<IIII", 0, i, length, length))
            f.write(frame(1024 + i, length))
    return 0


if __name__ == "__main__":
    sys.exit(main())
