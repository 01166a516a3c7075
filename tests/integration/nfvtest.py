#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Helper of the integration tests (see lib.sh).

  nfvtest.py json EXPR                 evaluate EXPR on the JSON on stdin (j)
  nfvtest.py pcap-gen DIR SPEC         write DIR/<port>_in.pcap; print counts
  nfvtest.py pcap-check DIR SPEC EXP   compare DIR/<port>_out.pcap with EXP
  nfvtest.py ctl-proto SOCKET          malformed requests on the control socket
  nfvtest.py ctl-clients SOCKET N      N clients at once, and a stalled one

SPEC is "a=10,b=0,c=7": the ports in OpenFlow order and how many packets
each one receives. Every packet carries a marker "NFVT<port:8><seq:4>" so
that an output packet is traced back to its input. EXP is
"a:f b:a,c,f c: ...": for each port, the ports whose input it must send,
each exactly once, in input order; ports left out must send nothing.
"""

import json
import os
import socket
import struct
import sys
import time

MARKER = b"NFVT"
SIZES = [60, 64, 100, 128, 256, 512, 1000, 1400, 1514]
SOCK_TIMEOUT = 5.0


def die(msg):
    print("nfvtest.py: " + msg, file=sys.stderr)
    sys.exit(1)


# --- JSON ------------------------------------------------------------------

def cmd_json(expr):
    text = sys.stdin.read()
    try:
        j = json.loads(text)
    except ValueError as e:
        die("not JSON (%s): %r" % (e, text[:500]))
    try:
        v = eval(expr, {"j": j, "len": len, "sum": sum, "sorted": sorted,
                        "all": all, "any": any, "set": set})
    except Exception as e:  # the test reports it with the expression
        die("%s: %s: %s" % (expr, type(e).__name__, e))
    if isinstance(v, bool):
        print("true" if v else "false")
    elif isinstance(v, str):
        print(v)
    else:
        print(json.dumps(v, sort_keys=True))


# --- pcaps -----------------------------------------------------------------

def parse_spec(spec):
    ports = []
    for item in spec.split(","):
        name, n = item.split("=")
        ports.append((name, int(n)))
    return ports


def make_packet(idx, name, seq):
    """Frame 'seq' of port 'name' (OpenFlow port idx + 1)."""
    size = SIZES[(idx * 3 + seq) % len(SIZES)]
    eth = bytes([2, 0, 0, 0, 1, idx + 1]) + bytes([2, 0, 0, 0, 0, idx + 1])
    eth += b"\x08\x00"
    marker = MARKER + name.encode().ljust(8, b"\0") + struct.pack("!I", seq)
    # IPv4 + UDP headers with right lengths; checksums do not matter here.
    payload_len = size - 14 - 20 - 8
    udp = struct.pack("!HHHH", 1000 + idx, 2000 + seq, 8 + payload_len, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + payload_len, seq, 0,
                     64, 17, 0, bytes([10, 98, idx, 1]),
                     bytes([10, 98, idx, 2]))
    pad = bytes((i + seq) & 0xff for i in range(payload_len - len(marker)))
    frame = eth + ip + udp + marker + pad
    assert len(frame) == size
    return frame


def packets_of(spec):
    """{port: [frame, ...]} of the inputs that SPEC describes."""
    return {name: [make_packet(i, name, s) for s in range(n)]
            for i, (name, n) in enumerate(parse_spec(spec))}


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    """Frames of a pcap file (micro- or nanosecond, either byte order)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        die("%s: %d bytes, not a pcap file" % (path, len(data)))
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        die("%s: bad pcap magic %r" % (path, magic))
    frames, off = [], 24
    while off < len(data):
        if off + 16 > len(data):
            die("%s: truncated record header at %d" % (path, off))
        _, _, caplen, wirelen = struct.unpack(end + "IIII",
                                              data[off:off + 16])
        off += 16
        if caplen != wirelen:
            die("%s: record at %d truncated (%d of %d bytes)"
                % (path, off, caplen, wirelen))
        frames.append(data[off:off + caplen])
        off += caplen
    return frames


def marker_of(frame):
    at = frame.find(MARKER)
    if at < 0:
        return None, None
    m = frame[at + 4:at + 16]
    return m[:8].rstrip(b"\0").decode(errors="replace"), \
        struct.unpack("!I", m[8:12])[0]


def cmd_pcap_gen(d, spec):
    counts = {}
    for name, frames in packets_of(spec).items():
        if frames:
            write_pcap(os.path.join(d, name + "_in.pcap"), frames)
        counts[name] = {"packets": len(frames),
                        "bytes": sum(len(f) for f in frames)}
    print(json.dumps(counts, sort_keys=True))


def cmd_pcap_check(d, spec, expect):
    inputs = packets_of(spec)
    want = {name: [] for name in inputs}
    for item in expect.split():
        port, _, srcs = item.partition(":")
        if port not in want:
            die("expectation names unknown port %r" % port)
        want[port] = [s for s in srcs.split(",") if s]
    errors = []
    for port in inputs:
        path = os.path.join(d, port + "_out.pcap")
        if not os.path.exists(path):
            errors.append("%s: no output file %s" % (port, path))
            continue
        got = read_pcap(path)
        by_src = {}
        for fr in got:
            src, seq = marker_of(fr)
            by_src.setdefault(src, []).append((seq, fr))
        expected_total = sum(len(inputs[s]) for s in want[port])
        line = "%s: sent %d packets (%s), expected %d from %s" % (
            port, len(got),
            ", ".join("%d from %s" % (len(v), k) for k, v in
                      sorted(by_src.items(), key=lambda kv: str(kv[0]))),
            expected_total, ",".join(want[port]) or "nobody")
        print(line)
        for src, frames in by_src.items():
            if src not in want[port]:
                errors.append("%s: %d unexpected packets from %s (seqs %s)"
                              % (port, len(frames), src,
                                 [s for s, _ in frames][:20]))
        for src in want[port]:
            frames = by_src.get(src, [])
            seqs = [s for s, _ in frames]
            if seqs != list(range(len(inputs[src]))):
                errors.append("%s: packets from %s arrived as seqs %s, "
                              "expected 0..%d in order"
                              % (port, src, seqs, len(inputs[src]) - 1))
                continue
            for seq, fr in frames:
                if fr != inputs[src][seq]:
                    errors.append("%s: packet %s/%d changed (%d bytes, "
                                  "sent %d)" % (port, src, seq, len(fr),
                                                len(inputs[src][seq])))
    if errors:
        for e in errors:
            print("MISMATCH " + e, file=sys.stderr)
        sys.exit(1)


# --- control socket --------------------------------------------------------

class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(SOCK_TIMEOUT)
        # With a timeout the socket is non-blocking, and a Unix socket
        # whose listen backlog is full fails connect() with EAGAIN instead
        # of waiting: retry until the server has accepted the others.
        deadline = time.monotonic() + SOCK_TIMEOUT
        while True:
            try:
                self.s.connect(path)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def reply(self):
        """Next reply line as a dict; None on EOF."""
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            r = json.loads(line)
        except ValueError:
            raise AssertionError("reply is not JSON: %r" % line[:300])
        if not isinstance(r, dict) or not isinstance(r.get("ok"), bool):
            raise AssertionError("reply without boolean 'ok': %r" % line)
        if r["ok"] and "result" not in r:
            raise AssertionError("ok reply without 'result': %r" % line)
        if not r["ok"] and not isinstance(r.get("error"), str):
            raise AssertionError("error reply without 'error': %r" % line)
        return r

    def close(self):
        self.s.close()


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = []

    def check(self, what, cond, detail=""):
        self.n += 1
        if not cond:
            self.failed.append("%s %s" % (what, detail))
            print("FAIL %s %s" % (what, detail), file=sys.stderr)

    def done(self):
        print("%d checks, %d failed" % (self.n, len(self.failed)))
        sys.exit(1 if self.failed else 0)


def expect_error(c, chk, what, req, needle):
    c.send(req)
    r = c.reply()
    chk.check(what + ": a reply", r is not None, "(connection closed)")
    if r is None:
        return False
    chk.check(what + ": ok is false", r["ok"] is False, repr(r))
    chk.check(what + ": error mentions %r" % needle,
              needle.lower() in r.get("error", "").lower(), repr(r))
    return True


def expect_version(c, chk, what):
    c.send(b'{"cmd": "version"}\n')
    r = c.reply()
    chk.check(what + ": version answered", r is not None and r["ok"] and
              isinstance(r["result"], dict) and "version" in r["result"],
              repr(r))


def cmd_ctl_proto(path):
    chk = Checks()
    c = Client(path)
    expect_version(c, chk, "first request")

    # Each of these gets an error reply, and the same connection goes on.
    cases = [
        ("not JSON", b"this is not json\n", "malformed"),
        ("truncated JSON", b'{"cmd": "vers\n', "malformed"),
        ("JSON array", b'[1, 2, 3]\n', "object"),
        ("JSON string", b'"version"\n', "object"),
        ("missing cmd", b'{"args": {}}\n', "cmd"),
        ("cmd not a string", b'{"cmd": 5}\n', "cmd"),
        ("args not an object", b'{"cmd": "version", "args": []}\n', "args"),
        ("unknown key", b'{"cmd": "version", "bogus": 1}\n', "bogus"),
        ("unknown command", b'{"cmd": "frobnicate"}\n', "frobnicate"),
        ("unknown argument",
         b'{"cmd": "port-stats", "args": {"nope": "x"}}\n', "nope"),
        ("argument not a string",
         b'{"cmd": "port-stats", "args": {"port": 7}}\n', "port"),
        ("missing required argument",
         b'{"cmd": "add-flow", "args": {}}\n', "flow"),
        ("unknown port", b'{"cmd": "port-stats", "args": {"port": "vm9"}}\n',
         "vm9"),
        ("bad flow", b'{"cmd": "add-flow", "args": {"flow": "x=1"}}\n', "x"),
        ("invalid UTF-8", b'{"cmd": "\xff\xfe"}\n', ""),
        ("NUL byte", b'{"cmd": "ver\x00sion"}\n', ""),
        ("control characters", b'\x01\x02\x03\x1b[2J\n', ""),
    ]
    for what, req, needle in cases:
        if not expect_error(c, chk, what, req, needle):
            c.close()
            c = Client(path)
        expect_version(c, chk, "after " + what)

    # Pipelined requests are answered in order.
    c.send(b'{"cmd": "version"}\n{"cmd": "nosuch"}\n{"cmd": "help"}\n')
    r1, r2, r3 = c.reply(), c.reply(), c.reply()
    chk.check("pipelined: 1st is version", r1 and r1["ok"] and
              "version" in r1["result"], repr(r1))
    chk.check("pipelined: 2nd is an error", r2 and not r2["ok"], repr(r2))
    chk.check("pipelined: 3rd is help", r3 and r3["ok"] and
              isinstance(r3["result"], list), repr(r3))

    # One request written a byte at a time.
    for b in b'{"cmd": "version"}\n':
        c.send(bytes([b]))
    r = c.reply()
    chk.check("byte-at-a-time request answered", r and r["ok"], repr(r))
    c.close()

    # An oversized request: an error (or the connection closed), never a
    # hang, and the server goes on serving others.
    c = Client(path)
    big = b'{"cmd": "version", "args": {"x": "' + b"a" * 70000 + b'"}}\n'
    try:
        c.send(big)
        r = c.reply()
        chk.check("oversized request: error reply or close",
                  r is None or r["ok"] is False, repr(r)[:200])
        if r is not None:
            chk.check("oversized request: says too large",
                      "large" in r["error"].lower() or
                      "long" in r["error"].lower(), repr(r))
    except (BrokenPipeError, ConnectionResetError):
        chk.check("oversized request: connection closed", True)
    c.close()
    c = Client(path)
    expect_version(c, chk, "after oversized request")

    # A client that disconnects in the middle of a request.
    d = Client(path)
    d.send(b'{"cmd": "vers')
    d.close()
    expect_version(c, chk, "after a client left mid-request")

    # A client that sends requests and never reads the replies.
    d = Client(path)
    d.send(b'{"cmd": "help"}\n' * 200)
    expect_version(c, chk, "while a client does not read its replies")
    d.close()
    expect_version(c, chk, "after the non-reading client left")
    c.close()
    chk.done()


def cmd_ctl_clients(path, n):
    """n clients connect at once and each gets its own replies; a client
    holding half a request does not hold up the others."""
    chk = Checks()
    stalled = Client(path)
    stalled.send(b'{"cmd": "show", "ar')
    clients = [Client(path) for _ in range(n)]
    for i, c in enumerate(clients):
        c.send(b'{"cmd": "port-stats"}\n' if i % 2 else
               b'{"cmd": "dump-flows"}\n')
    for i, c in enumerate(clients):
        r = c.reply()
        key = "ports" if i % 2 else "flows"
        chk.check("client %d answered" % i, r is not None and r["ok"] and
                  key in r["result"], repr(r)[:200])
    # Interleave: every client sends again, replies read in reverse order.
    for c in clients:
        c.send(b'{"cmd": "version"}\n')
    for i, c in reversed(list(enumerate(clients))):
        r = c.reply()
        chk.check("client %d second answer" % i, r is not None and r["ok"],
                  repr(r)[:200])
    for c in clients:
        c.close()
    stalled.send(b'gs": {}}\n')
    r = stalled.reply()
    chk.check("stalled client completes its request",
              r is not None and r["ok"] and "ports" in r["result"],
              repr(r)[:200])
    stalled.close()
    chk.done()


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    try:
        if cmd == "json" and len(args) == 1:
            cmd_json(args[0])
        elif cmd == "pcap-gen" and len(args) == 2:
            cmd_pcap_gen(*args)
        elif cmd == "pcap-check" and len(args) == 3:
            cmd_pcap_check(*args)
        elif cmd == "ctl-proto" and len(args) == 1:
            cmd_ctl_proto(args[0])
        elif cmd == "ctl-clients" and len(args) == 2:
            cmd_ctl_clients(args[0], int(args[1]))
        else:
            die(__doc__)
    except (AssertionError, OSError) as e:
        die("%s: %s: %s" % (cmd, type(e).__name__, e))


if __name__ == "__main__":
    main()
