# SPDX-License-Identifier: BSD-3-Clause
"""os-ken controller app of the integration tests and of the benchmark.

Run by os-ken's manager, which nfvswitch connects to:

  OF_APP_OUT=events.json OF_APP_MODE=learn \\
    /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 \\
        --ofp-tcp-listen-port PORT tests/integration/of_app.py

OF_APP_MODE=learn (test_openflow.sh controller): on SWITCH_FEATURES it
becomes master, installs a table-miss flow to the controller and three
flows that tell it when they leave (idle timeout, hard timeout, one to be
deleted), then acts as a learning switch: each packet-in teaches it the
source MAC's port, is sent on with a packet-out (flooded while the
destination is unknown) and, once the destination is known, installs a
flow for it (idle timeout OF_APP_IDLE seconds, send_flow_rem). Everything
it sees (features, ports, packet-ins, flow_removed, port_status, errors,
role and barrier replies) goes to the JSON file OF_APP_OUT, rewritten
after each event.

OF_APP_MODE=bench (scripts/bench_openflow.sh): installs a table-miss flow
to the controller; once it is in force, keeps OF_APP_WINDOW packet-outs
to output:TABLE in flight, each packet-in answered with the next one
(packet-in -> packet-out round trips), for OF_APP_SECS seconds, and
writes the counts and the rate to OF_APP_OUT.

OF_APP_MODE=echo (scripts/bench_openflow.sh): installs a table-miss flow
to the controller and answers every packet-in with a packet-out to port
OF_APP_ECHO_PORT; OF_APP_OUT gets the counts once a second.
"""

import json
import os
import time

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER
from os_ken.controller.handler import HANDSHAKE_DISPATCHER
from os_ken.controller.handler import MAIN_DISPATCHER
from os_ken.controller.handler import set_ev_cls
from os_ken.lib import hub
from os_ken.lib.packet import ethernet
from os_ken.lib.packet import packet
from os_ken.ofproto import ofproto_v1_3

COOKIE_MISS = 0x7ab1e
COOKIE_IDLE = 0x1d1e        # idle_timeout 2, never hit
COOKIE_HARD = 0x4a4d        # hard_timeout 3
COOKIE_DEL = 0xde1          # permanent, deleted by the test
COOKIE_LEARN = 0x1ea4       # learned destinations
UNUSED_ETH_TYPE = 0x88b5    # IEEE local experimental: no host sends it


def _mac(b):
    return ":".join("%02x" % x for x in b)


class NfvTestApp(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.out = os.environ["OF_APP_OUT"]
        self.mode = os.environ.get("OF_APP_MODE", "learn")
        self.idle = int(os.environ.get("OF_APP_IDLE", "3"))
        self.mac_to_port = {}
        self.state = {
            "mode": self.mode, "started": time.time(), "switches": [],
            "ports": [], "barriers": 0, "role": [], "packet_in": [],
            "packet_out": 0, "learned_flows": [], "flow_removed": [],
            "port_status": [], "errors": [], "bench": None,
        }
        self.bench = None
        self.save()

    def save(self):
        tmp = self.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.state, f, sort_keys=True, indent=1)
        os.replace(tmp, self.out)

    # --- helpers ---------------------------------------------------------

    def add_flow(self, dp, priority, match, actions, cookie=0, idle=0,
                 hard=0, flags=0, table_id=0):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS,
                                             actions)]
        dp.send_msg(parser.OFPFlowMod(
            datapath=dp, table_id=table_id, cookie=cookie,
            priority=priority, match=match, instructions=inst,
            idle_timeout=idle, hard_timeout=hard, flags=flags,
            buffer_id=ofp.OFP_NO_BUFFER))

    # --- handshake -------------------------------------------------------

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        self.state["switches"].append({
            "datapath_id": "%016x" % msg.datapath_id,
            "n_buffers": msg.n_buffers, "n_tables": msg.n_tables,
            "capabilities": msg.capabilities, "time": time.time()})
        miss = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER,
                                       ofp.OFPCML_NO_BUFFER)]
        self.add_flow(dp, 0, parser.OFPMatch(), miss, cookie=COOKIE_MISS)
        if self.mode in ("bench", "echo"):
            dp.send_msg(parser.OFPBarrierRequest(dp))
            if self.mode == "echo":
                self.state["echo"] = {"packet_in": 0, "packet_out": 0,
                                      "buffered": 0, "t0": time.time()}
                self.echo_port = int(os.environ.get("OF_APP_ECHO_PORT", "2"))
                hub.spawn(self.echo_save)
            self.save()
            return
        dp.send_msg(parser.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 1))
        rem = ofp.OFPFF_SEND_FLOW_REM
        self.add_flow(dp, 100, parser.OFPMatch(eth_type=UNUSED_ETH_TYPE),
                      [], cookie=COOKIE_IDLE, idle=2, flags=rem)
        self.add_flow(dp, 100, parser.OFPMatch(eth_type=UNUSED_ETH_TYPE + 1),
                      [], cookie=COOKIE_HARD, hard=3, flags=rem)
        self.add_flow(dp, 100, parser.OFPMatch(eth_type=UNUSED_ETH_TYPE + 2),
                      [], cookie=COOKIE_DEL, flags=rem)
        dp.send_msg(parser.OFPPortDescStatsRequest(dp, 0))
        dp.send_msg(parser.OFPBarrierRequest(dp))
        self.save()

    @set_ev_cls(ofp_event.EventOFPPortDescStatsReply, MAIN_DISPATCHER)
    def port_desc(self, ev):
        for p in ev.msg.body:
            self.state["ports"].append({
                "port_no": p.port_no, "name": p.name.decode(errors="replace"),
                "hw_addr": p.hw_addr, "config": p.config, "state": p.state})
        self.save()

    @set_ev_cls(ofp_event.EventOFPRoleReply, MAIN_DISPATCHER)
    def role_reply(self, ev):
        self.state["role"].append({"role": ev.msg.role,
                                   "generation_id": ev.msg.generation_id})
        self.save()

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier_reply(self, ev):
        self.state["barriers"] += 1
        self.save()
        if self.mode == "bench" and self.bench is None:
            self.bench_start(ev.msg.datapath)

    @set_ev_cls(ofp_event.EventOFPErrorMsg,
                [HANDSHAKE_DISPATCHER, CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def error(self, ev):
        self.state["errors"].append({"type": ev.msg.type,
                                     "code": ev.msg.code,
                                     "data": bytes(ev.msg.data)[:16].hex()})
        self.save()

    # --- asynchronous messages -------------------------------------------

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        if self.mode == "bench":
            self.bench_packet_in(ev)
            return
        if self.mode == "echo":
            self.echo_packet_in(ev)
            return
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match["in_port"]
        pkt = packet.Packet(msg.data)
        eth = pkt.get_protocols(ethernet.ethernet)
        rec = {"in_port": in_port, "reason": msg.reason,
               "table_id": msg.table_id, "cookie": msg.cookie,
               "buffer_id": msg.buffer_id, "total_len": msg.total_len,
               "data_len": len(msg.data), "time": time.time()}
        if eth:
            rec.update({"eth_src": eth[0].src, "eth_dst": eth[0].dst,
                        "eth_type": eth[0].ethertype})
        self.state["packet_in"].append(rec)
        if not eth:
            self.save()
            return
        src, dst = eth[0].src, eth[0].dst
        self.mac_to_port[src] = in_port
        out_port = self.mac_to_port.get(dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=dst)
            self.add_flow(dp, 10, match, actions, cookie=COOKIE_LEARN,
                          idle=self.idle, flags=ofp.OFPFF_SEND_FLOW_REM)
            self.state["learned_flows"].append({"in_port": in_port,
                                                "eth_dst": dst,
                                                "out_port": out_port})
        data = None
        if msg.buffer_id == ofp.OFP_NO_BUFFER:
            data = msg.data
        dp.send_msg(parser.OFPPacketOut(datapath=dp,
                                        buffer_id=msg.buffer_id,
                                        in_port=in_port, actions=actions,
                                        data=data))
        self.state["packet_out"] += 1
        self.save()

    @set_ev_cls(ofp_event.EventOFPFlowRemoved, MAIN_DISPATCHER)
    def flow_removed(self, ev):
        m = ev.msg
        self.state["flow_removed"].append({
            "cookie": m.cookie, "priority": m.priority, "reason": m.reason,
            "table_id": m.table_id, "duration_sec": m.duration_sec,
            "duration_nsec": m.duration_nsec,
            "idle_timeout": m.idle_timeout, "hard_timeout": m.hard_timeout,
            "packet_count": m.packet_count, "byte_count": m.byte_count,
            "match": {k: (v if isinstance(v, (int, str)) else str(v))
                      for k, v in m.match.items()},
            "time": time.time()})
        self.save()

    @set_ev_cls(ofp_event.EventOFPPortStatus, MAIN_DISPATCHER)
    def port_status(self, ev):
        m = ev.msg
        self.state["port_status"].append({
            "reason": m.reason, "port_no": m.desc.port_no,
            "name": m.desc.name.decode(errors="replace"),
            "config": m.desc.config, "state": m.desc.state,
            "time": time.time()})
        self.save()

    # --- benchmark -------------------------------------------------------

    def bench_start(self, dp):
        window = int(os.environ.get("OF_APP_WINDOW", "1"))
        secs = float(os.environ.get("OF_APP_SECS", "5"))
        size = int(os.environ.get("OF_APP_PKT_SIZE", "64"))
        frame = (bytes.fromhex("020000000002" "020000000001" "0800") +
                 bytes(size - 14))
        self.bench = {"window": window, "secs": secs, "size": size,
                      "sent": 0, "received": 0, "t0": time.time(),
                      "frame": frame, "done": False, "dp": dp}
        for _ in range(window):
            self.bench_send()
        hub.spawn(self.bench_stop)

    def bench_send(self):
        b = self.bench
        dp = b["dp"]
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPPacketOut(
            datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=1,
            actions=[parser.OFPActionOutput(ofp.OFPP_TABLE)],
            data=b["frame"]))
        b["sent"] += 1

    def bench_packet_in(self, ev):
        b = self.bench
        if b is None:
            return
        b["received"] += 1
        if not b["done"]:
            self.bench_send()

    def bench_stop(self):
        b = self.bench
        hub.sleep(b["secs"])
        b["done"] = True
        elapsed = time.time() - b["t0"]
        self.state["bench"] = {
            "window": b["window"], "secs": round(elapsed, 3),
            "packet_size": b["size"], "packet_out": b["sent"],
            "packet_in": b["received"],
            "round_trips_per_s": int(b["received"] / elapsed),
        }
        self.save()

    def echo_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        e = self.state["echo"]
        e["packet_in"] += 1
        data = None
        if msg.buffer_id == ofp.OFP_NO_BUFFER:
            data = msg.data
        else:
            e["buffered"] += 1
        dp.send_msg(parser.OFPPacketOut(
            datapath=dp, buffer_id=msg.buffer_id,
            in_port=msg.match["in_port"],
            actions=[parser.OFPActionOutput(self.echo_port)], data=data))
        e["packet_out"] += 1

    def echo_save(self):
        while True:
            hub.sleep(1)
            self.state["echo"]["t"] = time.time()
            self.save()
