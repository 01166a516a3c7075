#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Raw OpenFlow 1.3 client of the integration tests (test_openflow.sh).

Builds and parses messages with os-ken's OpenFlow 1.3 parser (Debian's
python3-os-ken) but drives the TCP connection itself, so that it can send
what no real controller would: malformed messages, garbage, floods, and
never read its replies.

  of_client.py errors PORT          bad requests get the right errors
  of_client.py garbage PORT         garbage after HELLO: error and/or close
  of_client.py noread PORT N SECS   N flow-stats requests, never read, hold
  of_client.py slowdump PORT N SECS a flow dump read after SECS: N flows
  of_client.py flood PORT N [TABLE] N flow_mods back to back, then a barrier
  of_client.py roles PORT           role requests, generation ids, slave
  of_client.py packet-in PORT       packet-ins, max_len, packet buffers

PORT is the switch's passive listener on 127.0.0.1. Each command prints
one JSON object (results, timings) on stdout; checks that fail are listed
on stderr and make the exit status 1.
"""

import json
import random
import socket
import struct
import sys
import time

from os_ken.ofproto import ofproto_parser
from os_ken.ofproto import ofproto_v1_3 as ofp
from os_ken.ofproto import ofproto_v1_3_parser as parser

TIMEOUT = 5.0
OFP_HEADER = struct.Struct("!BBHI")


class _Datapath:
    """Just what os-ken's parser wants of a datapath."""
    ofproto = ofp
    ofproto_parser = parser

    def set_xid(self, msg):
        pass


DP = _Datapath()


def die(msg):
    print("of_client.py: " + msg, file=sys.stderr)
    sys.exit(1)


def error_names(etype, code):
    """'OFPET_BAD_REQUEST/OFPBRC_BAD_TYPE' for an error's type and code."""
    tname = [n for n in dir(ofp) if n.startswith("OFPET_") and
             getattr(ofp, n) == etype]
    tname = tname[0] if tname else "type%d" % etype
    prefixes = {
        ofp.OFPET_HELLO_FAILED: "OFPHFC_", ofp.OFPET_BAD_REQUEST: "OFPBRC_",
        ofp.OFPET_BAD_ACTION: "OFPBAC_",
        ofp.OFPET_BAD_INSTRUCTION: "OFPBIC_",
        ofp.OFPET_BAD_MATCH: "OFPBMC_",
        ofp.OFPET_FLOW_MOD_FAILED: "OFPFMFC_",
        ofp.OFPET_GROUP_MOD_FAILED: "OFPGMFC_",
        ofp.OFPET_PORT_MOD_FAILED: "OFPPMFC_",
        ofp.OFPET_TABLE_MOD_FAILED: "OFPTMFC_",
        ofp.OFPET_ROLE_REQUEST_FAILED: "OFPRRFC_",
        ofp.OFPET_METER_MOD_FAILED: "OFPMMFC_",
        ofp.OFPET_TABLE_FEATURES_FAILED: "OFPTFFC_",
        ofp.OFPET_SWITCH_CONFIG_FAILED: "OFPSCFC_",
    }
    pre = prefixes.get(etype)
    cname = [n for n in dir(ofp) if pre and n.startswith(pre) and
             getattr(ofp, n) == code]
    return "%s/%s" % (tname, cname[0] if cname else "code%d" % code)


class Conn:
    """One OpenFlow 1.3 connection to the switch."""

    def __init__(self, port, hello=True, host="127.0.0.1"):
        self.s = socket.create_connection((host, port), timeout=TIMEOUT)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.xid = 0x1000
        self.async_msgs = []
        if hello:
            self.hello()

    def hello(self):
        # HELLO with a version bitmap that offers 1.3 only.
        elem = struct.pack("!HHI", 1, 8, 1 << ofp.OFP_VERSION)
        self.send_raw(OFP_HEADER.pack(ofp.OFP_VERSION, ofp.OFPT_HELLO,
                                      8 + len(elem), 1) + elem)
        m = self.recv_raw()
        if m is None or m[1] != ofp.OFPT_HELLO:
            raise AssertionError("no HELLO from the switch: %r" % (m,))
        if m[0] != ofp.OFP_VERSION:
            raise AssertionError("switch HELLO has version %d" % m[0])

    def next_xid(self):
        self.xid += 1
        return self.xid

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, msg, xid=None):
        """Serializes os-ken message 'msg' with a fresh xid (or 'xid') and
        sends it; returns the bytes sent."""
        msg.set_xid(self.next_xid() if xid is None else xid)
        msg.serialize()
        data = bytes(msg.buf)
        self.send_raw(data)
        return data

    def recv_raw(self, timeout=TIMEOUT):
        """Next message as (version, type, xid, bytes), None on EOF;
        answers ECHO_REQUEST on the way. Raises socket.timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                ver, typ, length, xid = OFP_HEADER.unpack(self.buf[:8])
                if length < 8:
                    raise AssertionError("switch sent length %d" % length)
                if len(self.buf) >= length:
                    data, self.buf = self.buf[:length], self.buf[length:]
                    if typ == ofp.OFPT_ECHO_REQUEST:
                        self.send_raw(OFP_HEADER.pack(
                            ver, ofp.OFPT_ECHO_REPLY, length, xid) +
                            data[8:])
                        continue
                    return ver, typ, xid, data
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no message within %.1f s" % timeout)
            self.s.settimeout(left)
            chunk = self.s.recv(1 << 20)
            if not chunk:
                return None
            self.buf += chunk

    def recv(self, timeout=TIMEOUT):
        """Next message parsed by os-ken (None on EOF)."""
        m = self.recv_raw(timeout)
        if m is None:
            return None
        ver, typ, xid, data = m
        return ofproto_parser.msg(DP, ver, typ, len(data), xid, data)

    def recv_xid(self, xid, timeout=TIMEOUT):
        """Next message with 'xid' (others, e.g. async ones, are kept in
        async_msgs); None on EOF."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.recv(max(0.01, deadline - time.monotonic()))
            if m is None or m.xid == xid:
                return m
            self.async_msgs.append(m)

    def barrier(self, timeout=TIMEOUT):
        """BARRIER_REQUEST; returns the messages with other xids that came
        before the reply (the replies to earlier requests)."""
        xid = self.next_xid()
        self.send(parser.OFPBarrierRequest(DP), xid)
        before = []
        deadline = time.monotonic() + timeout
        while True:
            m = self.recv(max(0.01, deadline - time.monotonic()))
            if m is None:
                raise AssertionError("connection closed before the "
                                     "barrier reply")
            if m.xid == xid and m.msg_type == ofp.OFPT_BARRIER_REPLY:
                return before
            before.append(m)

    def close(self):
        self.s.close()


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = []
        self.result = {}

    def check(self, what, cond, detail=""):
        self.n += 1
        if not cond:
            self.failed.append("%s %s" % (what, detail))
            print("FAIL %s %s" % (what, detail), file=sys.stderr)
        return cond

    def done(self):
        self.result["checks"] = self.n
        self.result["failed"] = self.failed
        print(json.dumps(self.result, sort_keys=True))
        sys.exit(1 if self.failed else 0)


# --- errors ----------------------------------------------------------------

def flow_mod(table_id=0, priority=1, match=None, instructions=None,
             actions=None, command=ofp.OFPFC_ADD, **kw):
    if instructions is None:
        instructions = [parser.OFPInstructionActions(
            ofp.OFPIT_APPLY_ACTIONS, actions or [])]
    return parser.OFPFlowMod(DP, table_id=table_id, priority=priority,
                             command=command,
                             match=match or parser.OFPMatch(),
                             instructions=instructions,
                             buffer_id=kw.pop("buffer_id",
                                              ofp.OFP_NO_BUFFER),
                             out_port=kw.pop("out_port", ofp.OFPP_ANY),
                             out_group=kw.pop("out_group", ofp.OFPG_ANY),
                             **kw)


def set_len(data, length):
    """'data' with the header's length field set to 'length'."""
    return data[:2] + struct.pack("!H", length) + data[4:]


def raw_msg(typ, body=b"", version=ofp.OFP_VERSION, xid=0):
    return OFP_HEADER.pack(version, typ, 8 + len(body), xid) + body


# OXM field numbers of the OpenFlow basic class.
OXM_ETH_TYPE = 5
OXM_IPV4_SRC = 11
OXM_TCP_DST = 14


def oxm(field, value):
    """An OXM TLV of the OpenFlow basic class, no mask."""
    return struct.pack("!HBB", 0x8000, field << 1, len(value)) + value


def raw_flow_mod(match_tlvs, xid, table_id=0, insts=b""):
    """A FLOW_MOD ADD built by hand, for matches os-ken would not build
    (duplicate fields, missing prerequisites)."""
    mlen = 4 + len(match_tlvs)
    match = struct.pack("!HH", ofp.OFPMT_OXM, mlen) + match_tlvs
    match += b"\0" * ((8 - mlen % 8) % 8)
    body = struct.pack("!QQBBHHHIIIH2x", 0, 0, table_id, ofp.OFPFC_ADD, 0,
                       0, 7, ofp.OFP_NO_BUFFER, ofp.OFPP_ANY, ofp.OFPG_ANY,
                       0) + match + insts
    return raw_msg(ofp.OFPT_FLOW_MOD, body, xid=xid)


def expect_error(c, chk, what, req, etype, code, xid=None):
    """Sends 'req' (os-ken message or bytes) and checks that the answer is
    the error etype/code with the request's xid and its first 64 bytes as
    data; then checks the connection still answers a barrier."""
    if isinstance(req, bytes):
        data = req
        xid = OFP_HEADER.unpack(data[:8])[3]
        c.send_raw(data)
    else:
        xid = c.next_xid() if xid is None else xid
        data = c.send(req, xid)
    try:
        m = c.recv_xid(xid)
    except socket.timeout:
        m = "timeout"
    want = error_names(etype, code)
    if not chk.check(what + ": an error reply",
                     not isinstance(m, str) and m is not None and
                     m.msg_type == ofp.OFPT_ERROR,
                     "(want %s, got %r)" % (want, m)):
        return False
    got = error_names(m.type, m.code)
    chk.check(what + ": error " + want, got == want, "(got %s)" % got)
    chk.check(what + ": error data = first 64 bytes of the request",
              bytes(m.data) == data[:64],
              "(got %d bytes %s, sent %d bytes %s)" % (
                  len(m.data), bytes(m.data)[:16].hex(), len(data),
                  data[:16].hex()))
    try:
        c.barrier()
        alive = True
    except (AssertionError, OSError) as e:
        alive = str(e)
    chk.check(what + ": connection still up (barrier answered)",
              alive is True, "(%s)" % alive)
    return True


def expect_no_error(c, chk, what, req):
    c.send(req)
    try:
        before = c.barrier()
    except (AssertionError, OSError) as e:
        chk.check(what + ": barrier answered", False, str(e))
        return
    errs = [error_names(m.type, m.code) for m in before
            if m.msg_type == ofp.OFPT_ERROR]
    chk.check(what + ": accepted (no error before the barrier reply)",
              not errs, "(got %s)" % errs)


def cmd_errors(port):
    chk = Checks()
    c = Conn(port)
    out1 = [parser.OFPActionOutput(1)]
    apply1 = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, out1)]

    # Instructions.
    expect_error(c, chk, "goto_table backwards",
                 flow_mod(table_id=3, instructions=[
                     parser.OFPInstructionGotoTable(1)]),
                 ofp.OFPET_BAD_INSTRUCTION, ofp.OFPBIC_BAD_TABLE_ID)
    expect_error(c, chk, "goto_table to its own table",
                 flow_mod(table_id=3, instructions=[
                     parser.OFPInstructionGotoTable(3)]),
                 ofp.OFPET_BAD_INSTRUCTION, ofp.OFPBIC_BAD_TABLE_ID)
    expect_error(c, chk, "goto_table past the last table",
                 flow_mod(table_id=3, instructions=[
                     parser.OFPInstructionGotoTable(254)]),
                 ofp.OFPET_BAD_INSTRUCTION, ofp.OFPBIC_BAD_TABLE_ID)
    expect_error(c, chk, "meter instruction (no meters)",
                 flow_mod(instructions=[parser.OFPInstructionMeter(1)] +
                          apply1),
                 ofp.OFPET_BAD_INSTRUCTION, ofp.OFPBIC_UNSUP_INST)
    # Flow table.
    expect_error(c, chk, "flow_mod into table 254",
                 flow_mod(table_id=254, actions=out1),
                 ofp.OFPET_FLOW_MOD_FAILED, ofp.OFPFMFC_BAD_TABLE_ID)
    expect_error(c, chk, "flow_mod with an unknown command",
                 flow_mod(actions=out1, command=9),
                 ofp.OFPET_FLOW_MOD_FAILED, ofp.OFPFMFC_BAD_COMMAND)
    # Actions.
    expect_error(c, chk, "output to a port that does not exist",
                 flow_mod(actions=[parser.OFPActionOutput(99)]),
                 ofp.OFPET_BAD_ACTION, ofp.OFPBAC_BAD_OUT_PORT)
    expect_error(c, chk, "group action on a group that does not exist",
                 flow_mod(actions=[parser.OFPActionGroup(4242)]),
                 ofp.OFPET_BAD_ACTION, ofp.OFPBAC_BAD_OUT_GROUP)
    # Matches, built by hand.
    eth_ip = oxm(OXM_ETH_TYPE, struct.pack("!H", 0x0800))
    xid = c.next_xid()
    expect_error(c, chk, "tcp_dst without ip_proto (prerequisite)",
                 raw_flow_mod(eth_ip + oxm(OXM_TCP_DST,
                                           struct.pack("!H", 80)), xid),
                 ofp.OFPET_BAD_MATCH, ofp.OFPBMC_BAD_PREREQ)
    xid = c.next_xid()
    expect_error(c, chk, "ipv4_src without eth_type (prerequisite)",
                 raw_flow_mod(oxm(OXM_IPV4_SRC,
                                  bytes([10, 0, 0, 1])), xid),
                 ofp.OFPET_BAD_MATCH, ofp.OFPBMC_BAD_PREREQ)
    xid = c.next_xid()
    expect_error(c, chk, "the same field twice",
                 raw_flow_mod(eth_ip + eth_ip, xid),
                 ofp.OFPET_BAD_MATCH, ofp.OFPBMC_DUP_FIELD)
    # Lengths.
    fm = flow_mod(actions=out1)
    fm.set_xid(c.next_xid())
    fm.serialize()
    good = bytes(fm.buf)
    expect_error(c, chk, "flow_mod cut short (length says 40 bytes)",
                 set_len(good[:40], 40),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_LEN)
    expect_error(c, chk, "barrier request with a body",
                 raw_msg(ofp.OFPT_BARRIER_REQUEST, b"\0" * 8,
                         xid=c.next_xid()),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_LEN)
    # Requests.
    expect_error(c, chk, "unknown message type 99",
                 raw_msg(99, b"\0" * 8, xid=c.next_xid()),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_TYPE)
    expect_error(c, chk, "experimenter message",
                 raw_msg(ofp.OFPT_EXPERIMENTER,
                         struct.pack("!II", 0x00abcdef, 1),
                         xid=c.next_xid()),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_EXPERIMENTER)
    expect_error(c, chk, "unknown multipart type",
                 raw_msg(ofp.OFPT_MULTIPART_REQUEST,
                         struct.pack("!HH4x", 0x77, 0), xid=c.next_xid()),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_MULTIPART)
    expect_error(c, chk, "packet_out naming a buffer that does not exist",
                 parser.OFPPacketOut(DP, buffer_id=0x12345,
                                     in_port=ofp.OFPP_CONTROLLER,
                                     actions=out1, data=None),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BUFFER_UNKNOWN)
    expect_error(c, chk, "packet_out to a port that does not exist",
                 parser.OFPPacketOut(DP, buffer_id=ofp.OFP_NO_BUFFER,
                                     in_port=ofp.OFPP_CONTROLLER,
                                     actions=[parser.OFPActionOutput(77)],
                                     data=b"\x02" * 60),
                 ofp.OFPET_BAD_ACTION, ofp.OFPBAC_BAD_OUT_PORT)
    # Meters, groups, ports.
    expect_error(c, chk, "meter_mod",
                 parser.OFPMeterMod(DP, command=ofp.OFPMC_ADD,
                                    flags=ofp.OFPMF_KBPS, meter_id=1,
                                    bands=[parser.OFPMeterBandDrop(1000)]),
                 ofp.OFPET_METER_MOD_FAILED, ofp.OFPMMFC_OUT_OF_METERS)
    bucket = [parser.OFPBucket(actions=out1)]
    expect_error(c, chk, "group_mod add with a reserved group id",
                 parser.OFPGroupMod(DP, ofp.OFPGC_ADD, ofp.OFPGT_ALL,
                                    ofp.OFPG_ALL, bucket),
                 ofp.OFPET_GROUP_MOD_FAILED, ofp.OFPGMFC_INVALID_GROUP)
    expect_error(c, chk, "group_mod modify of a group that does not exist",
                 parser.OFPGroupMod(DP, ofp.OFPGC_MODIFY, ofp.OFPGT_ALL,
                                    4243, bucket),
                 ofp.OFPET_GROUP_MOD_FAILED, ofp.OFPGMFC_UNKNOWN_GROUP)
    expect_error(c, chk, "group_mod with an unknown command",
                 parser.OFPGroupMod(DP, 7, ofp.OFPGT_ALL, 4244, bucket),
                 ofp.OFPET_GROUP_MOD_FAILED, ofp.OFPGMFC_BAD_COMMAND)
    expect_error(c, chk, "port_mod of a port that does not exist",
                 parser.OFPPortMod(DP, port_no=99, hw_addr="00:00:00:00:00:00",
                                   config=0, mask=ofp.OFPPC_NO_FWD,
                                   advertise=0),
                 ofp.OFPET_PORT_MOD_FAILED, ofp.OFPPMFC_BAD_PORT)
    # Accepted: TABLE_MOD, SET_CONFIG, a delete that matches nothing.
    expect_no_error(c, chk, "table_mod",
                    parser.OFPTableMod(DP, 0, 0))
    expect_no_error(c, chk, "delete of a flow that does not exist",
                    flow_mod(table_id=ofp.OFPTT_ALL,
                             command=ofp.OFPFC_DELETE,
                             match=parser.OFPMatch(eth_type=0x88b5)))
    expect_no_error(c, chk, "group_mod delete of a group that does not "
                    "exist", parser.OFPGroupMod(DP, ofp.OFPGC_DELETE,
                                                ofp.OFPGT_ALL, 4245, []))

    # A message of another version after negotiation: BAD_VERSION.
    expect_error(c, chk, "OpenFlow 1.0 message on a 1.3 connection",
                 raw_msg(ofp.OFPT_BARRIER_REQUEST, version=1,
                         xid=c.next_xid()),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BAD_VERSION)
    c.close()

    # A message before HELLO is answered (HELLO first) on a fresh
    # connection, and a HELLO offering only 1.0 fails negotiation.
    d = Conn(port, hello=False)
    d.send_raw(struct.pack("!BBHI", 1, ofp.OFPT_HELLO, 8, 7))
    got = []
    try:
        while True:
            m = d.recv_raw()
            if m is None:
                break
            got.append(m)
    except socket.timeout:
        pass
    errs = [m for m in got if m[1] == ofp.OFPT_ERROR]
    chk.check("HELLO offering 1.0 only: HELLO_FAILED error",
              len(errs) == 1 and
              struct.unpack("!HH", errs[0][3][8:12]) ==
              (ofp.OFPET_HELLO_FAILED, ofp.OFPHFC_INCOMPATIBLE),
              repr([(m[1], m[3][8:12].hex()) for m in got]))
    d.close()
    chk.done()


# --- garbage ---------------------------------------------------------------

def read_until_close(c, secs, quiet=1.5):
    """Reads until EOF (or reset), until 'quiet' seconds pass without a
    message once one came, or until 'secs'; returns (closed, messages)."""
    msgs = []
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        wait = deadline - time.monotonic()
        if msgs:
            wait = min(wait, quiet)
        try:
            m = c.recv_raw(max(0.01, wait))
        except socket.timeout:
            return False, msgs
        except (ConnectionResetError, BrokenPipeError):
            return True, msgs
        if m is None:
            return True, msgs
        msgs.append(m)
    return False, msgs


def cmd_garbage(port, secs):
    chk = Checks()
    rnd = random.Random(20261121)
    cases = []
    # 1. Random bytes whose first header claims a short length: framing
    # error, connection closed.
    cases.append(("header length 4", bytes([4, 0x0e, 0, 4]) +
                  bytes(rnd.randrange(256) for _ in range(4096))))
    # 2. Random bytes with a bad version: an error (BAD_VERSION), then
    # whatever the rest parses into; the connection goes down or stays,
    # but must answer something.
    cases.append(("bad version", bytes([0x7f, 0x0e, 0, 16]) +
                  bytes(rnd.randrange(256) for _ in range(4096))))
    # 3. Pure random bytes (fixed seed), 64 KiB.
    cases.append(("random", bytes(rnd.randrange(256)
                                  for _ in range(65536))))
    # 4. A header announcing 65535 bytes then silence: the switch waits
    # for the rest; the other clients must not notice.
    results = {}
    for name, data in cases:
        c = Conn(port)
        try:
            c.send_raw(data)
        except (BrokenPipeError, ConnectionResetError):
            results[name] = {"closed": True, "errors": [],
                             "during_send": True}
            chk.check("garbage '%s': error or close" % name, True)
            c.close()
            continue
        closed, msgs = read_until_close(c, secs)
        errs = []
        for m in msgs:
            if m[1] == ofp.OFPT_ERROR and len(m[3]) >= 12:
                errs.append(error_names(*struct.unpack("!HH",
                                                       m[3][8:12])))
        results[name] = {"closed": closed, "errors": errs}
        chk.check("garbage '%s': an error or the connection closed" % name,
                  closed or errs, repr(results[name]))
        c.close()
    chk.check("header length 4: connection closed",
              results["header length 4"]["closed"],
              repr(results["header length 4"]))
    chk.check("bad version: BAD_VERSION error",
              "OFPET_BAD_REQUEST/OFPBRC_BAD_VERSION" in
              results["bad version"]["errors"] or
              results["bad version"]["closed"],
              repr(results["bad version"]))
    chk.result["cases"] = results
    # The half message: the switch must still serve a new client.
    h = Conn(port)
    h.send_raw(struct.pack("!BBHI", 4, ofp.OFPT_FLOW_MOD, 65535, 1) +
               b"\0" * 100)
    c = Conn(port)
    try:
        c.barrier()
        ok = True
    except (AssertionError, OSError) as e:
        ok = str(e)
    chk.check("a new client is served while another holds half a message",
              ok is True, repr(ok))
    c.close()
    h.close()
    chk.done()


# --- a client that does not read --------------------------------------------

def cmd_noread(port, n, secs):
    """Sends n flow-stats requests (xids 1..n) without reading, prints a
    JSON line, then holds the connection unread until stdin closes (or
    secs pass). Then reads what is left for a few seconds and checks that
    every reply that arrived is whole: its parts in order, flagged MORE
    but the last, and all the flows; dropped replies must be dropped
    whole. Prints a second JSON line with the counts."""
    chk = Checks()
    blob = b""
    for xid in range(1, n + 1):
        req = parser.OFPFlowStatsRequest(DP, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY,
                                         ofp.OFPG_ANY, 0, 0,
                                         parser.OFPMatch())
        req.set_xid(xid)
        req.serialize()
        blob += bytes(req.buf)
    c = Conn(port)
    c.s.setblocking(False)
    t0 = time.monotonic()
    stuck = False
    off = 0
    while off < len(blob):
        try:
            off += c.s.send(blob[off:off + 65536])
        except BlockingIOError:
            # The switch stopped reading us: allowed, as long as it goes
            # on serving the others.
            if time.monotonic() - t0 > 5:
                stuck = True
                break
            time.sleep(0.01)
    print(json.dumps({"sent": off * n // len(blob), "wanted": n,
                      "stuck": stuck,
                      "send_s": round(time.monotonic() - t0, 3)}),
          flush=True)
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if not sys.stdin.readline():
            break
    # Now read everything that was queued for us.
    parts = {}
    closed = False
    others = []
    while True:
        try:
            m = c.recv_raw(3.0)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        if m is None:
            closed = True
            break
        ver, typ, xid, data = m
        if typ != ofp.OFPT_MULTIPART_REPLY:
            others.append(typ)
            continue
        mtype, flags = struct.unpack("!HH", data[8:12])
        n_flows, off = 0, 16
        while off < len(data):
            n_flows += 1
            off += struct.unpack("!H", data[off:off + 2])[0]
        parts.setdefault(xid, []).append((flags, n_flows))
    whole, broken, flows = 0, [], set()
    for xid, ps in sorted(parts.items()):
        more = [f & ofp.OFPMPF_REPLY_MORE for f, _ in ps]
        if all(more[:-1]) and not more[-1]:
            whole += 1
            flows.add(sum(k for _, k in ps))
        else:
            broken.append((xid, len(ps), [f for f, _ in ps][-3:]))
    chk.result.update({"replies": len(parts), "whole": whole,
                       "broken": len(broken), "flow_counts": sorted(flows),
                       "closed": closed, "other_types": others[:10]})
    chk.check("replies that arrived are whole (no part dropped in the "
              "middle)", not broken,
              "(%d of %d broken, e.g. xid/parts/last flags %s)" % (
                  len(broken), len(parts), broken[:3]))
    chk.check("whole replies agree on the number of flows",
              len(flows) <= 1, repr(sorted(flows)))
    chk.check("replies in xid order", list(parts) == sorted(parts),
              repr(list(parts)[:10]))
    c.close()
    chk.done()


def cmd_slowdump(port, n_flows, pause):
    """One flow-stats request (all tables), then 'pause' seconds without
    reading (a controller busy elsewhere), then the reply read to its end:
    it must be whole, with all n_flows flows."""
    chk = Checks()
    c = Conn(port)
    c.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    xid = c.next_xid()
    c.send(parser.OFPFlowStatsRequest(DP, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY,
                                      ofp.OFPG_ANY, 0, 0, parser.OFPMatch()),
           xid)
    time.sleep(pause)
    parts, flows, last_flags, done = 0, 0, None, False
    t0 = time.monotonic()
    while not done:
        try:
            m = c.recv_raw(12.0)
        except socket.timeout:
            break
        except (ConnectionResetError, BrokenPipeError):
            m = None
        if m is None:
            chk.result["closed"] = True
            break
        ver, typ, mxid, data = m
        if typ != ofp.OFPT_MULTIPART_REPLY or mxid != xid:
            continue
        parts += 1
        last_flags = struct.unpack("!H", data[10:12])[0]
        off = 16
        while off < len(data):
            flows += 1
            off += struct.unpack("!H", data[off:off + 2])[0]
        done = not last_flags & ofp.OFPMPF_REPLY_MORE
    chk.result.update({"parts": parts, "flows": flows,
                       "read_s": round(time.monotonic() - t0, 3)})
    chk.check("slow reader: the reply ends (a part without MORE)", done,
              "(%d parts, %d flows, last flags %r)" % (parts, flows,
                                                       last_flags))
    chk.check("slow reader: every flow", flows == n_flows,
              "(%d of %d)" % (flows, n_flows))
    c.close()
    chk.done()


# --- flood -----------------------------------------------------------------

def cmd_flood(port, n, table_id):
    """n ADD flow_mods (distinct matches, priority 200, cookie 0xf100d, in
    table 'table_id') as fast as the socket
    takes them, reading what comes back meanwhile; then a barrier. Prints
    timings and how many errors came back."""
    chk = Checks()
    msgs = []
    for i in range(n):
        fm = flow_mod(table_id=table_id, priority=200,
                      match=parser.OFPMatch(eth_type=0x0800,
                                            ipv4_dst=(10 << 24 | 200 << 16) +
                                            i),
                      actions=[parser.OFPActionOutput(2)], cookie=0xf100d)
        fm.set_xid(0x10000 + i)
        fm.serialize()
        msgs.append(bytes(fm.buf))
    blob = b"".join(msgs)
    # Connect only now: building the messages takes seconds, and a peer
    # that does not answer the switch's echo requests is dropped.
    c = Conn(port)
    t0 = time.monotonic()
    c.s.setblocking(True)
    c.s.settimeout(30)
    c.s.sendall(blob)
    t_sent = time.monotonic()
    before = c.barrier(timeout=60)
    t_barrier = time.monotonic()
    errs = [m for m in before if m.msg_type == ofp.OFPT_ERROR]
    chk.check("flood: no errors", not errs,
              repr([error_names(m.type, m.code) for m in errs[:5]]))
    chk.result.update({
        "flow_mods": n, "send_s": round(t_sent - t0, 3),
        "barrier_s": round(t_barrier - t0, 3),
        "per_s": int(n / max(t_barrier - t0, 1e-6)),
    })
    c.close()
    chk.done()


# --- roles -----------------------------------------------------------------

def role(c, r, gen):
    xid = c.next_xid()
    c.send(parser.OFPRoleRequest(DP, r, gen), xid)
    return c.recv_xid(xid)


def cmd_roles(port):
    chk = Checks()
    a = Conn(port)
    b = Conn(port)
    m = role(a, ofp.OFPCR_ROLE_NOCHANGE, 0)
    chk.check("initial role is equal", m is not None and
              m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_EQUAL, repr(m))
    m = role(a, ofp.OFPCR_ROLE_MASTER, 10)
    chk.check("a becomes master (generation 10)",
              m is not None and m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_MASTER and m.generation_id == 10,
              repr(m))
    m = role(b, ofp.OFPCR_ROLE_MASTER, 9)
    chk.check("b with a stale generation: ROLE_REQUEST_FAILED/STALE",
              m is not None and m.msg_type == ofp.OFPT_ERROR and
              (m.type, m.code) == (ofp.OFPET_ROLE_REQUEST_FAILED,
                                   ofp.OFPRRFC_STALE), repr(m))
    m = role(b, ofp.OFPCR_ROLE_MASTER, 11)
    chk.check("b becomes master (generation 11)",
              m is not None and m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_MASTER, repr(m))
    m = role(a, ofp.OFPCR_ROLE_NOCHANGE, 0)
    chk.check("a was demoted to slave", m is not None and
              m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_SLAVE, repr(m))
    expect_error(a, chk, "flow_mod from a slave",
                 flow_mod(actions=[parser.OFPActionOutput(1)]),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_IS_SLAVE)
    expect_error(a, chk, "packet_out from a slave",
                 parser.OFPPacketOut(DP, buffer_id=ofp.OFP_NO_BUFFER,
                                     in_port=ofp.OFPP_CONTROLLER,
                                     actions=[parser.OFPActionOutput(1)],
                                     data=b"\x02" * 60),
                 ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_IS_SLAVE)
    # A slave may still read.
    xid = a.next_xid()
    a.send(parser.OFPDescStatsRequest(DP, 0), xid)
    m = a.recv_xid(xid)
    chk.check("a slave still gets DESC", m is not None and
              m.msg_type == ofp.OFPT_MULTIPART_REPLY, repr(m))
    m = role(a, ofp.OFPCR_ROLE_EQUAL, 0)
    chk.check("a back to equal", m is not None and
              m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_EQUAL, repr(m))
    m = role(b, ofp.OFPCR_ROLE_EQUAL, 0)
    chk.check("b back to equal", m is not None and
              m.msg_type == ofp.OFPT_ROLE_REPLY and
              m.role == ofp.OFPCR_ROLE_EQUAL, repr(m))
    a.close()
    b.close()
    chk.done()


# --- packet-in and packet buffers ------------------------------------------

def udp_frame(dport, size):
    """An Ethernet/IPv4/UDP frame of 'size' bytes to UDP port 'dport'."""
    payload = bytes((i * 7) & 0xff for i in range(size - 42))
    udp = struct.pack("!HHHH", 4321, dport, 8 + len(payload), 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 1, 0, 64,
                     17, 0, bytes([10, 0, 0, 7]), bytes([10, 0, 0, 2]))
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    return eth + ip + udp + payload


def next_packet_in(c, chk, what):
    """Waits for a PACKET_IN (skipping other async messages)."""
    while True:
        try:
            m = c.recv(3.0)
        except socket.timeout:
            m = None
        if m is None:
            chk.check(what + ": a packet-in", False, "(none)")
            return None
        if m.msg_type == ofp.OFPT_PACKET_IN:
            return m


def inject(c, frame, in_port=1):
    """A packet-out through the tables, as if 'frame' came in on in_port."""
    c.send(parser.OFPPacketOut(DP, buffer_id=ofp.OFP_NO_BUFFER,
                               in_port=in_port,
                               actions=[parser.OFPActionOutput(
                                   ofp.OFPP_TABLE)], data=frame))


def cmd_packet_in(port):
    """Packet-ins made by packet-outs to TABLE, and the switch's packet
    buffers: a packet-in cut to max_len holds the packet; a packet-out or a
    flow_mod naming its buffer_id releases it (exactly once). Sends one
    packet of 542 bytes out of port 2 and one of 542 bytes out of port 3
    (the caller checks the counters)."""
    chk = Checks()
    c = Conn(port)
    udp = dict(eth_type=0x0800, ip_proto=17)

    def ctl_flow(prio, dport, max_len, table_id=0, cookie=0):
        c.send(flow_mod(table_id=table_id, priority=prio, cookie=cookie,
                        match=parser.OFPMatch(udp_dst=dport, **udp),
                        actions=[parser.OFPActionOutput(
                            ofp.OFPP_CONTROLLER, max_len)]))

    # 1. max_len 64: the packet is buffered, 64 bytes sent.
    ctl_flow(40000, 7777, 64, cookie=0xb0f)
    chk.check("flows accepted", not c.barrier())
    frame = udp_frame(7777, 542)
    inject(c, frame)
    m = next_packet_in(c, chk, "max_len 64")
    if m is not None:
        chk.check("max_len 64: reason ACTION, table 0, cookie, in_port 1",
                  (m.reason, m.table_id, m.cookie, m.match["in_port"]) ==
                  (ofp.OFPR_ACTION, 0, 0xb0f, 1),
                  repr((m.reason, m.table_id, m.cookie,
                        dict(m.match.items()))))
        chk.check("max_len 64: 64 bytes of 542, buffered",
                  (len(m.data), m.total_len) == (64, 542) and
                  m.buffer_id != ofp.OFP_NO_BUFFER and
                  bytes(m.data) == frame[:64],
                  repr((len(m.data), m.total_len, m.buffer_id)))
        buf = m.buffer_id
        c.send(parser.OFPPacketOut(DP, buffer_id=buf, in_port=1,
                                   actions=[parser.OFPActionOutput(2)],
                                   data=None))
        errs = [error_names(x.type, x.code) for x in c.barrier()
                if x.msg_type == ofp.OFPT_ERROR]
        chk.check("packet-out of the buffer: accepted", not errs, repr(errs))
        expect_error(c, chk, "the same buffer again",
                     parser.OFPPacketOut(DP, buffer_id=buf, in_port=1,
                                         actions=[parser.OFPActionOutput(2)],
                                         data=None),
                     ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BUFFER_UNKNOWN)
    # 2. A flow_mod naming the buffer sends the packet through the tables
    # with the new flow in force: out of port 3.
    inject(c, frame)
    m = next_packet_in(c, chk, "second max_len 64")
    if m is not None and m.buffer_id != ofp.OFP_NO_BUFFER:
        buf = m.buffer_id
        c.send(flow_mod(priority=40001, match=parser.OFPMatch(udp_dst=7777,
                                                            **udp),
                        actions=[parser.OFPActionOutput(3)],
                        buffer_id=buf))
        errs = [error_names(x.type, x.code) for x in c.barrier()
                if x.msg_type == ofp.OFPT_ERROR]
        chk.check("flow_mod with the buffer: accepted", not errs, repr(errs))
        expect_error(c, chk, "the buffer a flow_mod used",
                     parser.OFPPacketOut(DP, buffer_id=buf, in_port=1,
                                         actions=[parser.OFPActionOutput(2)],
                                         data=None),
                     ofp.OFPET_BAD_REQUEST, ofp.OFPBRC_BUFFER_UNKNOWN)
    # 3. max_len OFPCML_NO_BUFFER: all of it, nothing buffered.
    ctl_flow(40002, 7778, ofp.OFPCML_NO_BUFFER)
    c.barrier()
    frame = udp_frame(7778, 1000)
    inject(c, frame)
    m = next_packet_in(c, chk, "max_len NO_BUFFER")
    if m is not None:
        chk.check("max_len NO_BUFFER: the whole packet, not buffered",
                  (bytes(m.data) == frame, m.total_len, m.buffer_id) ==
                  (True, 1000, ofp.OFP_NO_BUFFER),
                  repr((len(m.data), m.total_len, m.buffer_id)))
    # 4. A table-miss flow (table 7) with max_len OFPCML_NO_BUFFER: its
    # max_len applies, not miss_send_len (OpenFlow 1.3, 7.2.5 and 7.3.2:
    # miss_send_len is for packets sent without an output action).
    c.send(flow_mod(priority=40003, match=parser.OFPMatch(udp_dst=7779, **udp),
                    instructions=[parser.OFPInstructionGotoTable(7)]))
    c.send(flow_mod(table_id=7, priority=0, cookie=0x7,
                    actions=[parser.OFPActionOutput(ofp.OFPP_CONTROLLER,
                                                    ofp.OFPCML_NO_BUFFER)]))
    c.barrier()
    frame = udp_frame(7779, 1000)
    inject(c, frame)
    m = next_packet_in(c, chk, "table miss")
    if m is not None:
        chk.check("table miss: reason NO_MATCH, table 7, cookie 7",
                  (m.reason, m.table_id, m.cookie) ==
                  (ofp.OFPR_NO_MATCH, 7, 7),
                  repr((m.reason, m.table_id, m.cookie)))
        chk.check("table-miss flow with max_len NO_BUFFER: the whole "
                  "packet, not buffered",
                  (len(m.data), m.total_len, m.buffer_id) ==
                  (1000, 1000, ofp.OFP_NO_BUFFER),
                  repr((len(m.data), m.total_len, m.buffer_id)))
        if m.buffer_id != ofp.OFP_NO_BUFFER:
            # Free it: drop the packet (no actions).
            c.send(parser.OFPPacketOut(DP, buffer_id=m.buffer_id,
                                       in_port=1, actions=[], data=None))
    # Leave no flow behind.
    c.send(flow_mod(table_id=ofp.OFPTT_ALL, command=ofp.OFPFC_DELETE,
                    match=parser.OFPMatch(**udp)))
    c.send(flow_mod(table_id=7, command=ofp.OFPFC_DELETE))
    errs = [error_names(x.type, x.code) for x in c.barrier()
            if x.msg_type == ofp.OFPT_ERROR]
    chk.check("no other error", not errs, repr(errs))
    c.close()
    chk.done()


def main():
    if len(sys.argv) < 3:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        port = int(args[0])
        if cmd == "errors" and len(args) == 1:
            cmd_errors(port)
        elif cmd == "garbage" and len(args) == 1:
            cmd_garbage(port, 12.0)
        elif cmd == "slowdump" and len(args) == 3:
            cmd_slowdump(port, int(args[1]), float(args[2]))
        elif cmd == "noread" and len(args) == 3:
            cmd_noread(port, int(args[1]), float(args[2]))
        elif cmd == "flood" and len(args) in (2, 3):
            cmd_flood(port, int(args[1]), int(args[2]) if args[2:] else 9)
        elif cmd == "packet-in" and len(args) == 1:
            cmd_packet_in(port)
        elif cmd == "roles" and len(args) == 1:
            cmd_roles(port)
        else:
            die(__doc__)
    except (AssertionError, OSError) as e:
        die("%s: %s: %s" % (cmd, type(e).__name__, e))


if __name__ == "__main__":
    main()
