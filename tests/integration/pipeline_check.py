#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packets and golden outputs of test_pipeline.sh.

  pipeline_check.py gen DIR RUN     write DIR/<port>_in.pcap, print JSON
  pipeline_check.py check DIR RUN   compare DIR/<port>_out.pcap with what
                                    the flows of test_pipeline.sh must send

RUN is "main" (scenarios 1-6 and 8), "normal" (scenario 7) or "evict"
(scenario 9). The ports of
a run, in OpenFlow order, are defined here; test_pipeline.sh builds its
config from the JSON that "gen" prints:

  {"ports": [[name, has_input, is_pcap], ...], "rx": {port: packets},
   "tx": {port: packets}, "tx_sum": {"p+q": packets}}

"tx" is what each port must send (port-stats), "tx_sum" covers ports whose
split is not fixed (the buckets of the select group).

The expected output of every packet is built here with scapy from the
input by applying by hand what the flows say (MACs, TTL, VLAN tags, IPv4
addresses, ports) and letting scapy recompute every checksum, so a wrong
checksum, a wrong header or a missing edit all show as a byte mismatch.
Besides, every IPv4/TCP/UDP/ICMP checksum of every output is verified on
its own, for a readable message.

Every packet carries a 12-byte marker in its payload: "NFVP", a 4-letter
scenario tag, a stream number and a sequence number. A port's output must
hold exactly the expected frames (no more, no fewer), and frames of one
stream (one input port, one flow) must leave in input order; frames of
different flows may be reordered (the datapath batches a burst per flow).
"""

import json
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, Raw, raw, rdpcap,
                       wrpcap)

MARKER = b"NFVP"

# MACs of the hosts behind the ports.
H1 = "02:00:00:00:01:01"
H2 = "02:00:00:00:01:02"
H3 = "02:00:00:00:01:03"
BCAST = "ff:ff:ff:ff:ff:ff"


def die(msg):
    print("pipeline_check.py: " + msg, file=sys.stderr)
    sys.exit(1)


def marker(tag, stream, seq):
    assert len(tag) == 4
    return MARKER + tag.encode() + struct.pack("!HH", stream, seq)


def marker_of(frame):
    at = frame.find(MARKER)
    if at < 0:
        return None
    m = frame[at + 4:at + 12]
    tag = m[:4].decode(errors="replace")
    stream, seq = struct.unpack("!HH", m[4:8])
    return (tag, stream, seq)


def payload(tag, stream, seq, size=24):
    m = marker(tag, stream, seq)
    return Raw(m + bytes((i * 7 + seq) & 0xff for i in range(size)))


def udp(tag, stream, seq, src, dst, sport=1000, dport=2000, ttl=64,
        smac=H1, dmac=H2, size=24, chksum=None):
    u = UDP(sport=sport, dport=dport)
    if chksum is not None:
        u.chksum = chksum
    return raw(Ether(src=smac, dst=dmac) / IP(src=src, dst=dst, ttl=ttl,
                                              id=seq) /
               u / payload(tag, stream, seq, size))


def tcp(tag, stream, seq, src, dst, sport=1000, dport=80, ttl=64,
        smac=H1, dmac=H2):
    return raw(Ether(src=smac, dst=dmac) /
               IP(src=src, dst=dst, ttl=ttl, id=seq) /
               TCP(sport=sport, dport=dport, seq=1000 + seq, flags="PA") /
               payload(tag, stream, seq))


def icmp(tag, stream, seq, src, dst, ttl=64, smac=H1, dmac=H2):
    return raw(Ether(src=smac, dst=dmac) /
               IP(src=src, dst=dst, ttl=ttl, id=seq) /
               ICMP(type=8, id=7, seq=seq) / payload(tag, stream, seq))


def arp(tag, stream, seq, spa, tpa, smac=H1, dmac=BCAST):
    return raw(Ether(src=smac, dst=dmac) /
               ARP(op=1, hwsrc=smac, psrc=spa, pdst=tpa) /
               payload(tag, stream, seq, 4))


# --- edits, as the flows describe them -------------------------------------

def edit(frame, eth_src=None, eth_dst=None, dec_ttl=False, ip_src=None,
         ip_dst=None, tp_dst=None):
    """The frame after these header edits, checksums recomputed."""
    p = Ether(frame)
    if eth_src:
        p.src = eth_src
    if eth_dst:
        p.dst = eth_dst
    if p.haslayer(IP):
        ip = p[IP]
        if dec_ttl:
            ip.ttl -= 1
        if ip_src:
            ip.src = ip_src
        if ip_dst:
            ip.dst = ip_dst
        del ip.chksum
        for l4 in (TCP, UDP):
            if p.haslayer(l4):
                if tp_dst is not None:
                    p[l4].dport = tp_dst
                # A UDP checksum of 0 (none) stays 0.
                if not (l4 is UDP and p[l4].chksum == 0):
                    del p[l4].chksum
    return raw(p)


def push_vlan(frame, vid, pcp=None):
    """push_vlan:0x8100 then mod_vlan_vid: the new tag copies the PCP (and
    VID) of the outer tag if there is one, then gets VID 'vid'."""
    old_pcp = 0
    if frame[12:14] in (b"\x81\x00", b"\x88\xa8"):
        old_pcp = frame[14] >> 5
    pcp = old_pcp if pcp is None else pcp
    tci = (pcp << 13) | vid
    return frame[:12] + b"\x81\x00" + struct.pack("!H", tci) + frame[12:]


def pop_vlan(frame):
    assert frame[12:14] in (b"\x81\x00", b"\x88\xa8")
    return frame[:12] + frame[16:]


def tagged(frame, vid, pcp=0):
    return frame[:12] + b"\x81\x00" + struct.pack("!H", pcp << 13 | vid) + \
        frame[12:]


# --- the runs --------------------------------------------------------------

class Run:
    def __init__(self):
        self.ports = []         # names in OpenFlow order
        self.inputs = {}        # port: [frame]
        self.expect = {}        # port: [frame]
        self.select = []        # [(ports, [frame])]: any one of the ports
        self.no_pcap = set()    # ports that are not net_pcap (no output)
        # Ports fed through the ring gate: a packet that met the old rule
        # while the gate was being opened goes round once more, behind
        # later packets of its flow, so the order is not checked there.
        self.unordered = set()

    def port(self, *names):
        for n in names:
            self.ports.append(n)
            self.inputs[n] = []
            self.expect[n] = []

    def rx(self, port, frame):
        self.inputs[port].append(frame)
        return frame

    def tx(self, port, frame):
        self.expect[port].append(frame)


def run_main():
    r = Run()
    # Scenario 1: goto_table and metadata.
    r.port("m1", "m2", "mo1", "mo2")
    # Scenario 2: L3 rewrite.
    r.port("r1", "ro")
    # Scenario 3: VLAN access / trunk.
    r.port("vacc", "vtrk", "vacc2")
    # Scenario 4: write_actions / clear_actions.
    r.port("win", "wo1", "wo2")
    # Scenario 5: several outputs with edits in between.
    r.port("xin", "xob", "xoc", "xod")
    # Scenario 8: table miss without a rule, table-miss rule to controller.
    r.port("nm", "cm")
    # Scenario 6: groups, behind the ring gate.
    r.port("gsrc", "ring", "g1a", "g1b", "g2a", "g2b", "g3", "g4a", "g4b",
           "g5a", "g5b")
    r.no_pcap.add("ring")
    r.unordered.update(("g1a", "g1b", "g2a", "g2b", "g3", "g4a", "g4b",
                        "g5a", "g5b"))

    # 1. m1: metadata 0x1 -> table 1: IPv4 to mo1, the rest (ARP) to mo2.
    # m2: metadata 0x2 -> table 1 adds 0x300 under mask 0xff00 -> table 2
    # matches metadata=0x302 exactly -> mo2.
    for s in range(3):
        r.tx("mo1", r.rx("m1", udp("META", 1, s, "10.0.1.1", "10.0.1.2",
                                   sport=1000 + s)))
    r.tx("mo2", r.rx("m1", arp("META", 2, 0, "10.0.1.1", "10.0.1.2")))
    for s in range(2):
        r.tx("mo2", r.rx("m2", tcp("META", 3, s, "10.0.2.1", "10.0.2.2")))

    # 2. ip,nw_dst=10.1.0.0/16: new MACs, TTL - 1, out of ro; TTL 1 is
    # dropped (ttl-expired); tcp to 10.1.5.0/24 port 80 also becomes 8080.
    rt = dict(eth_src="02:00:00:00:aa:01", eth_dst="02:00:00:00:bb:02",
              dec_ttl=True)
    rt80 = dict(eth_src="02:00:00:00:aa:01", eth_dst="02:00:00:00:bb:05",
                dec_ttl=True, tp_dst=8080)
    r.tx("ro", edit(r.rx("r1", udp("L3RT", 1, 0, "10.0.0.1", "10.1.2.3")),
                    **rt))
    r.tx("ro", edit(r.rx("r1", tcp("L3RT", 2, 1, "10.0.0.1", "10.1.200.1",
                                   dport=443, ttl=2)), **rt))
    r.tx("ro", edit(r.rx("r1", icmp("L3RT", 3, 2, "10.0.0.1", "10.1.0.1")),
                    **rt))
    r.rx("r1", udp("L3RT", 1, 3, "10.0.0.1", "10.1.2.3", ttl=1))
    r.tx("ro", edit(r.rx("r1", tcp("L3RT", 4, 4, "10.0.0.1", "10.1.5.7",
                                   ttl=33)), **rt80))
    r.rx("r1", udp("L3RT", 5, 5, "10.0.0.1", "10.2.0.1"))       # drop
    r.rx("r1", tcp("L3RT", 4, 6, "10.0.0.1", "10.1.5.7", ttl=1))
    r.tx("ro", edit(r.rx("r1", udp("L3RT", 6, 7, "10.0.0.1", "10.1.9.9",
                                   ttl=10, chksum=0)), **rt))
    r.tx("ro", edit(r.rx("r1", tcp("L3RT", 7, 8, "10.0.0.1", "10.1.5.7",
                                   dport=81, ttl=200)), **rt))

    # 3. Access -> trunk: push a tag, VID 100 (a tagged frame gets a
    # second, outer tag that copies its PCP). Trunk -> access: VID 100
    # popped to vacc, VID 200 popped to vacc2, others dropped.
    f = r.rx("vacc", udp("VLAN", 1, 0, "10.3.0.1", "10.3.0.2"))
    r.tx("vtrk", push_vlan(f, 100))
    f = r.rx("vacc", arp("VLAN", 2, 1, "10.3.0.1", "10.3.0.2"))
    r.tx("vtrk", push_vlan(f, 100))
    f = r.rx("vacc", tagged(udp("VLAN", 3, 2, "10.3.0.1", "10.3.0.3"), 5,
                            pcp=3))
    r.tx("vtrk", push_vlan(f, 100))
    f = r.rx("vtrk", tagged(udp("VLAN", 4, 0, "10.3.0.2", "10.3.0.1"), 100,
                            pcp=2))
    r.tx("vacc", pop_vlan(f))
    f = r.rx("vtrk", tagged(arp("VLAN", 5, 1, "10.3.0.2", "10.3.0.1",
                                smac=H2), 200))
    r.tx("vacc2", pop_vlan(f))
    r.rx("vtrk", tagged(udp("VLAN", 6, 2, "10.3.0.2", "10.3.0.1"), 300))
    r.rx("vtrk", udp("VLAN", 7, 3, "10.3.0.2", "10.3.0.1"))     # untagged
    f = r.rx("vtrk", tagged(tagged(udp("VLAN", 8, 4, "10.3.0.2", "10.3.0.9"),
                                   7), 100))
    r.tx("vacc", pop_vlan(f))                                   # keeps VID 7

    # 4. The action set (table 0 writes, table 5 edits it; it runs at the
    # end of the walk: set_field before output, one output only).
    def w(i, stream):
        return r.rx("win", udp("ASET", stream, i, "10.4.1.1", "10.4.0.%d" % i))
    w(1, 1)                                          # cleared: nothing
    r.tx("wo2", edit(w(2, 2), ip_dst="10.4.9.9",    # set_fields first
                     ip_src="10.4.8.8"))
    r.tx("wo2", w(3, 3))                             # clear, then write
    f = w(4, 4)
    r.tx("wo1", f)                                   # apply-actions output
    r.tx("wo2", edit(f, eth_dst="02:00:00:00:ee:04"))
    r.tx("wo2", w(5, 5))                             # output replaced
    w(6, 6)                                          # miss in table 5
    # An apply-actions edit is seen by the next table's lookup.
    r.tx("wo1", edit(w(7, 7), ip_dst="10.4.0.77"))

    # 5. output:xob,mod_nw_dst,output:xoc,mod_tp_dst,output:xod (udp);
    # output:xob,mod_nw_src,output:xob (tcp): the first copy is the
    # original.
    for s in range(3):
        f = r.rx("xin", udp("MOUT", 1, s, "10.5.0.1", "10.5.0.2",
                            sport=3000, dport=4000))
        r.tx("xob", f)
        r.tx("xoc", edit(f, ip_dst="10.5.5.5"))
        r.tx("xod", edit(f, ip_dst="10.5.5.5", tp_dst=9999))
    for s in range(2):
        f = r.rx("xin", tcp("MOUT", 2, 3 + s, "10.5.0.1", "10.5.0.2"))
        r.tx("xob", f)
        r.tx("xob", edit(f, ip_src="10.5.0.99"))

    # 8. nm: no rule (no-match); cm: goto table 3, table-miss rule to
    # the controller (pktin).
    for s in range(3):
        r.rx("nm", udp("MISS", 1, s, "10.8.0.1", "10.8.0.2"))
    for s in range(4):
        r.rx("cm", udp("MISS", 2, s, "10.8.1.1", "10.8.1.2"))

    # 6. Groups (gsrc -> ring, released into table 10 after add-group).
    def g(net, stream, seq, sport=5000, host=1):
        return r.rx("gsrc", udp("GRPS", stream, seq, "10.6.0.1",
                                "10.6.%d.%d" % (net, host), sport=sport))
    for s in range(3):                               # all
        f = g(1, 1, s)
        r.tx("g1a", f)
        r.tx("g1b", edit(f, ip_dst="10.6.1.99"))
    sel = []
    for flow in range(24):                           # select: 2 each
        for s in range(2):
            sel.append(g(2, 100 + flow, s, sport=6000 + flow * 13,
                         host=1 + flow % 5))
    r.select.append((("g2a", "g2b"), sel))
    for s in range(2):                               # indirect
        r.tx("g3", edit(g(3, 3, s), eth_dst="02:00:00:00:33:33"))
    for s in range(2):                               # ff: 2nd bucket live
        r.tx("g4b", g(4, 4, s))
    for s in range(2):                               # output then group
        f = g(5, 5, s)
        r.tx("g5a", f)
        r.tx("g5b", edit(f, ip_dst="10.6.5.99"))
    for s in range(2):                               # ff: 1st bucket live
        r.tx("g4a", g(6, 6, s))
    # write_actions(output:g1a,group:3): the group wins.
    r.tx("g3", edit(g(7, 7, 0), eth_dst="02:00:00:00:33:33"))
    g(8, 8, 0)                                       # no such group
    return r


def run_normal():
    r = Run()
    r.port("n1", "n2", "n3")
    # Poll order n1, n2, n3 (checked by the test with pmd-rxq-show).
    f = r.rx("n1", udp("NORM", 1, 0, "10.7.0.1", "10.7.0.2", smac=H1,
                       dmac=H2))                     # B unknown: flood
    r.tx("n2", f)
    r.tx("n3", f)
    f = r.rx("n1", tagged(udp("NORM", 1, 1, "10.7.0.1", "10.7.0.3",
                              smac=H1, dmac=H3), 10))  # VLAN 10: flood
    r.tx("n2", f)
    r.tx("n3", f)
    f = r.rx("n2", udp("NORM", 2, 0, "10.7.0.2", "10.7.0.1", smac=H2,
                       dmac=H1))                     # A known: unicast
    r.tx("n1", f)
    f = r.rx("n3", udp("NORM", 3, 0, "10.7.0.3", "10.7.0.2", smac=H3,
                       dmac=H2))                     # B known: unicast
    r.tx("n2", f)
    f = r.rx("n3", arp("NORM", 3, 1, "10.7.0.3", "10.7.0.1", smac=H3))
    r.tx("n1", f)                                    # broadcast: flood
    r.tx("n2", f)
    return r


def run_evict():
    """A 64-entry megaflow cache under churn. Flow n (n = 0..127) is
    ip,nw_dst=10.9.0.<n+1> -> mod_nw_src:10.8.0.<n+1>, output:out, each
    its own megaflow. net_pcap hands the input over in bursts of 32:
    flows 0-63 fill the cache, then 4 bursts of 16 packets of cached
    flows and 16 of new flows, whose inserts evict entries while packets
    of the same burst still point at them."""
    r = Run()
    r.port("esrc", "eout")
    seq = 0

    def pkt(n):
        nonlocal seq
        f = r.rx("esrc", udp("EVCT", n, seq, "10.0.0.1", "10.9.0.%d" % (n + 1),
                             sport=1, dport=2))
        r.tx("eout", edit(f, ip_src="10.8.0.%d" % (n + 1)))
        seq += 1
    for n in range(64):
        pkt(n)
    new = 64
    for b in range(4):
        for n in range(16):
            pkt(b * 16 + n)
        for n in range(16):
            pkt(new)
            new += 1
    return r


RUNS = {"main": run_main, "normal": run_normal, "evict": run_evict}


def get_run(name):
    if name not in RUNS:
        die("unknown run %r" % name)
    return RUNS[name]()


# --- commands --------------------------------------------------------------

def cmd_gen(d, name):
    r = get_run(name)
    for p in r.ports:
        if r.inputs[p]:
            wrpcap(os.path.join(d, p + "_in.pcap"),
                   [Ether(f) for f in r.inputs[p]])
    out = {"ports": [[p, bool(r.inputs[p]), p not in r.no_pcap]
                     for p in r.ports],
           "rx": {p: len(r.inputs[p]) for p in r.ports},
           "tx": {p: len(r.expect[p]) for p in r.ports},
           "tx_sum": {}}
    for ports, frames in r.select:
        for p in ports:
            del out["tx"][p]
        out["tx_sum"]["+".join(ports)] = len(frames)
    print(json.dumps(out, sort_keys=True))


def describe(frame):
    m = marker_of(frame)
    return "%s/%d/%d" % m if m else "(no marker, %d bytes)" % len(frame)


def checksum_errors(frame):
    """Checksums of 'frame' that scapy computes differently."""
    errs = []
    p = Ether(frame)
    if not p.haslayer(IP):
        return errs
    ip = p[IP]
    c = ip.copy()
    del c.chksum
    if IP(raw(c)).chksum != ip.chksum:
        errs.append("IPv4 header checksum 0x%04x" % ip.chksum)
    for l4 in (TCP, UDP, ICMP):
        if p.haslayer(l4):
            got = p[l4].chksum
            if l4 is UDP and got == 0:
                continue
            c = p[IP].copy()
            del c[l4].chksum
            want = IP(raw(c))[l4].chksum
            if got != want:
                errs.append("%s checksum 0x%04x, should be 0x%04x"
                            % (l4.__name__, got, want))
    return errs


def diff_bytes(got, want):
    if len(got) != len(want):
        return "length %d, expected %d" % (len(got), len(want))
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return "first difference at byte %d: 0x%02x, expected 0x%02x" \
                % (i, a, b)
    return "identical"


def compare(port, got, want, errors, ordered=True):
    """'got' must hold exactly 'want' (as a multiset), each stream in
    order if 'ordered'."""
    left = list(want)
    for fr in got:
        if fr in left:
            left.remove(fr)
            continue
        # Which expected frame was it meant to be?
        m = marker_of(fr)
        cands = [w for w in left if marker_of(w) == m]
        if cands:
            errors.append("%s: %s differs: %s\n    got      %s\n    "
                          "expected %s" % (port, describe(fr),
                                           diff_bytes(fr, cands[0]),
                                           Ether(fr).summary(),
                                           Ether(cands[0]).summary()))
            left.remove(cands[0])
        else:
            errors.append("%s: unexpected frame %s: %s"
                          % (port, describe(fr), Ether(fr).summary()))
    for w in left:
        errors.append("%s: missing frame %s: %s"
                      % (port, describe(w), Ether(w).summary()))
    if not ordered:
        return
    # Order within each stream: the order of 'want'.
    streams = {}
    for fr in want:
        streams.setdefault(marker_of(fr)[:2], []).append(fr)
    for key, frames in streams.items():
        seen = [fr for fr in got if marker_of(fr) and
                marker_of(fr)[:2] == key and fr in frames]
        if len(seen) == len(frames) and seen != frames:
            errors.append("%s: stream %s/%d out of order: %s"
                          % (port, key[0], key[1],
                             [describe(f) for f in seen]))


def cmd_check(d, name):
    r = get_run(name)
    errors = []
    outputs = {}
    for p in r.ports:
        if p in r.no_pcap:
            outputs[p] = []
            continue
        path = os.path.join(d, p + "_out.pcap")
        if not os.path.exists(path):
            errors.append("%s: no output file %s" % (p, path))
            outputs[p] = []
            continue
        outputs[p] = [raw(x) for x in rdpcap(path)]
    n_checked = 0
    for p in r.ports:
        for fr in outputs[p]:
            n_checked += 1
            for e in checksum_errors(fr):
                errors.append("%s: %s: %s" % (p, describe(fr), e))
    select_ports = set()
    for ports, frames in r.select:
        select_ports.update(ports)
        got = [fr for p in ports for fr in outputs[p]]
        compare("+".join(ports), got, frames, errors,
                ordered=not set(ports) & r.unordered)
        # Each flow (stream) sticks to one bucket; every bucket is used.
        where = {}
        for p in ports:
            for fr in outputs[p]:
                m = marker_of(fr)
                if m:
                    where.setdefault(m[:2], set()).add(p)
        split = [k for k, v in where.items() if len(v) > 1]
        if split:
            errors.append("select: flows sent to several buckets: %s"
                          % sorted(split))
        for p in ports:
            n = len(outputs[p])
            print("%s: %d packets (%d flows) from the select group"
                  % (p, n, len({marker_of(f)[:2] for f in outputs[p]})))
            if n == 0:
                errors.append("select: bucket %s got no flow (of %d)"
                              % (p, len(where)))
    for p in r.ports:
        if p in select_ports or p in r.no_pcap:
            continue
        print("%s: sent %d packets, expected %d"
              % (p, len(outputs[p]), len(r.expect[p])))
        compare(p, outputs[p], r.expect[p], errors,
                ordered=p not in r.unordered)
    print("%d output frames checked" % n_checked)
    if errors:
        for e in errors:
            print("MISMATCH " + e, file=sys.stderr)
        sys.exit(1)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("gen", "check"):
        die(__doc__)
    cmd, d, name = sys.argv[1:]
    if cmd == "gen":
        cmd_gen(d, name)
    else:
        cmd_check(d, name)


if __name__ == "__main__":
    main()
