/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The OpenFlow 1.3 (1.3.5) message codec: bytes from a controller become a
 * validated struct ofp_msg or an OpenFlow error (type, code); structs
 * become bytes for the controller. Flow and group contents use the
 * pipeline's own types (struct nfv_flow_spec, struct nfv_group_spec), so
 * the semantics layer (ofp_flow.c and friends) hands them straight to
 * nfv_pipeline_add() / nfv_group_add(). The codec knows nothing about
 * tables, ports or connections: it checks everything the protocol itself
 * defines (lengths, types, values, prerequisites) and leaves "does this
 * port / group / buffer exist" to the semantics layer.
 *
 * Rules: every length is checked and nothing is trusted; padding is
 * ignored on input and zeroed on output; the wire is big-endian. Variable
 * parts that can be large (echo payload, packet-out data, error data)
 * point into the decoded buffer, which must outlive the struct.
 *
 * Files: ofp_codec.c (framing, header, the message bodies), ofp_codec_match.c
 * (OXM matches), ofp_codec_actions.c (actions and instructions),
 * ofp_codec_multipart.c (multipart requests, reply entries and the reply
 * writer); ofp_codec_priv.h is what they share. Pure code: no DPDK, no
 * sockets, no threads, no allocation; any thread may call any function on
 * its own structs.
 */
#ifndef NFV_OFP_CODEC_H
#define NFV_OFP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "flow_key.h"
#include "group.h"
#include "nfv_common.h"

#define OFP_VERSION 0x04                /* OpenFlow 1.3 */
#define OFP_HEADER_LEN 8
#define OFP_MSG_MAX 65535               /* the header's length is 16 bits */
#define OFP_ERROR_DATA_MAX 64           /* bytes of the request in an error */
#define OFP_MAX_PORT_NAME_LEN 16
#define OFP_MAX_TABLE_NAME_LEN 32
#define OFP_DESC_STR_LEN 256
#define OFP_SERIAL_NUM_LEN 32
#define OFP_NO_BUFFER 0xffffffffu
#define OFP_METER_MAX_BANDS 8           /* bands kept from a METER_MOD */

/* Message types (ofp_type). */
enum ofp_type {
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_EXPERIMENTER = 4,
	OFPT_FEATURES_REQUEST = 5,
	OFPT_FEATURES_REPLY = 6,
	OFPT_GET_CONFIG_REQUEST = 7,
	OFPT_GET_CONFIG_REPLY = 8,
	OFPT_SET_CONFIG = 9,
	OFPT_PACKET_IN = 10,
	OFPT_FLOW_REMOVED = 11,
	OFPT_PORT_STATUS = 12,
	OFPT_PACKET_OUT = 13,
	OFPT_FLOW_MOD = 14,
	OFPT_GROUP_MOD = 15,
	OFPT_PORT_MOD = 16,
	OFPT_TABLE_MOD = 17,
	OFPT_MULTIPART_REQUEST = 18,
	OFPT_MULTIPART_REPLY = 19,
	OFPT_BARRIER_REQUEST = 20,
	OFPT_BARRIER_REPLY = 21,
	OFPT_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT_QUEUE_GET_CONFIG_REPLY = 23,
	OFPT_ROLE_REQUEST = 24,
	OFPT_ROLE_REPLY = 25,
	OFPT_GET_ASYNC_REQUEST = 26,
	OFPT_GET_ASYNC_REPLY = 27,
	OFPT_SET_ASYNC = 28,
	OFPT_METER_MOD = 29,
};

/* Error types (ofp_error_type) and the codes of each. */
enum ofp_error_type {
	OFPET_HELLO_FAILED = 0,
	OFPET_BAD_REQUEST = 1,
	OFPET_BAD_ACTION = 2,
	OFPET_BAD_INSTRUCTION = 3,
	OFPET_BAD_MATCH = 4,
	OFPET_FLOW_MOD_FAILED = 5,
	OFPET_GROUP_MOD_FAILED = 6,
	OFPET_PORT_MOD_FAILED = 7,
	OFPET_TABLE_MOD_FAILED = 8,
	OFPET_QUEUE_OP_FAILED = 9,
	OFPET_SWITCH_CONFIG_FAILED = 10,
	OFPET_ROLE_REQUEST_FAILED = 11,
	OFPET_METER_MOD_FAILED = 12,
	OFPET_TABLE_FEATURES_FAILED = 13,
	OFPET_EXPERIMENTER = 0xffff,
};

enum ofp_hello_failed_code {
	OFPHFC_INCOMPATIBLE = 0,
	OFPHFC_EPERM = 1,
};

enum ofp_bad_request_code {
	OFPBRC_BAD_VERSION = 0,
	OFPBRC_BAD_TYPE = 1,
	OFPBRC_BAD_MULTIPART = 2,
	OFPBRC_BAD_EXPERIMENTER = 3,
	OFPBRC_BAD_EXP_TYPE = 4,
	OFPBRC_EPERM = 5,
	OFPBRC_BAD_LEN = 6,
	OFPBRC_BUFFER_EMPTY = 7,
	OFPBRC_BUFFER_UNKNOWN = 8,
	OFPBRC_BAD_TABLE_ID = 9,
	OFPBRC_IS_SLAVE = 10,
	OFPBRC_BAD_PORT = 11,
	OFPBRC_BAD_PACKET = 12,
	OFPBRC_MULTIPART_BUFFER_OVERFLOW = 13,
};

enum ofp_bad_action_code {
	OFPBAC_BAD_TYPE = 0,
	OFPBAC_BAD_LEN = 1,
	OFPBAC_BAD_EXPERIMENTER = 2,
	OFPBAC_BAD_EXP_TYPE = 3,
	OFPBAC_BAD_OUT_PORT = 4,
	OFPBAC_BAD_ARGUMENT = 5,
	OFPBAC_EPERM = 6,
	OFPBAC_TOO_MANY = 7,
	OFPBAC_BAD_QUEUE = 8,
	OFPBAC_BAD_OUT_GROUP = 9,
	OFPBAC_MATCH_INCONSISTENT = 10,
	OFPBAC_UNSUPPORTED_ORDER = 11,
	OFPBAC_BAD_TAG = 12,
	OFPBAC_BAD_SET_TYPE = 13,
	OFPBAC_BAD_SET_LEN = 14,
	OFPBAC_BAD_SET_ARGUMENT = 15,
};

enum ofp_bad_instruction_code {
	OFPBIC_UNKNOWN_INST = 0,
	OFPBIC_UNSUP_INST = 1,
	OFPBIC_BAD_TABLE_ID = 2,
	OFPBIC_UNSUP_METADATA = 3,
	OFPBIC_UNSUP_METADATA_MASK = 4,
	OFPBIC_BAD_EXPERIMENTER = 5,
	OFPBIC_BAD_EXP_TYPE = 6,
	OFPBIC_BAD_LEN = 7,
	OFPBIC_EPERM = 8,
	OFPBIC_DUP_INST = 9,    /* as OpenFlow 1.4 numbers it; OVS sends an
				 * ONF experimenter error on 1.3 */
};

enum ofp_bad_match_code {
	OFPBMC_BAD_TYPE = 0,
	OFPBMC_BAD_LEN = 1,
	OFPBMC_BAD_TAG = 2,
	OFPBMC_BAD_DL_ADDR_MASK = 3,
	OFPBMC_BAD_NW_ADDR_MASK = 4,
	OFPBMC_BAD_WILDCARDS = 5,
	OFPBMC_BAD_FIELD = 6,
	OFPBMC_BAD_VALUE = 7,
	OFPBMC_BAD_MASK = 8,
	OFPBMC_BAD_PREREQ = 9,
	OFPBMC_DUP_FIELD = 10,
	OFPBMC_EPERM = 11,
};

enum ofp_flow_mod_failed_code {
	OFPFMFC_UNKNOWN = 0,
	OFPFMFC_TABLE_FULL = 1,
	OFPFMFC_BAD_TABLE_ID = 2,
	OFPFMFC_OVERLAP = 3,
	OFPFMFC_EPERM = 4,
	OFPFMFC_BAD_TIMEOUT = 5,
	OFPFMFC_BAD_COMMAND = 6,
	OFPFMFC_BAD_FLAGS = 7,
};

enum ofp_group_mod_failed_code {
	OFPGMFC_GROUP_EXISTS = 0,
	OFPGMFC_INVALID_GROUP = 1,
	OFPGMFC_WEIGHT_UNSUPPORTED = 2,
	OFPGMFC_OUT_OF_GROUPS = 3,
	OFPGMFC_OUT_OF_BUCKETS = 4,
	OFPGMFC_CHAINING_UNSUPPORTED = 5,
	OFPGMFC_WATCH_UNSUPPORTED = 6,
	OFPGMFC_LOOP = 7,
	OFPGMFC_UNKNOWN_GROUP = 8,
	OFPGMFC_CHAINED_GROUP = 9,
	OFPGMFC_BAD_TYPE = 10,
	OFPGMFC_BAD_COMMAND = 11,
	OFPGMFC_BAD_BUCKET = 12,
	OFPGMFC_BAD_WATCH = 13,
	OFPGMFC_EPERM = 14,
};

enum ofp_port_mod_failed_code {
	OFPPMFC_BAD_PORT = 0,
	OFPPMFC_BAD_HW_ADDR = 1,
	OFPPMFC_BAD_CONFIG = 2,
	OFPPMFC_BAD_ADVERTISE = 3,
	OFPPMFC_EPERM = 4,
};

enum ofp_table_mod_failed_code {
	OFPTMFC_BAD_TABLE = 0,
	OFPTMFC_BAD_CONFIG = 1,
	OFPTMFC_EPERM = 2,
};

enum ofp_queue_op_failed_code {
	OFPQOFC_BAD_PORT = 0,
	OFPQOFC_BAD_QUEUE = 1,
	OFPQOFC_EPERM = 2,
};

enum ofp_switch_config_failed_code {
	OFPSCFC_BAD_FLAGS = 0,
	OFPSCFC_BAD_LEN = 1,
	OFPSCFC_EPERM = 2,
};

enum ofp_role_request_failed_code {
	OFPRRFC_STALE = 0,
	OFPRRFC_UNSUP = 1,
	OFPRRFC_BAD_ROLE = 2,
};

enum ofp_meter_mod_failed_code {
	OFPMMFC_UNKNOWN = 0,
	OFPMMFC_METER_EXISTS = 1,
	OFPMMFC_INVALID_METER = 2,
	OFPMMFC_UNKNOWN_METER = 3,
	OFPMMFC_BAD_COMMAND = 4,
	OFPMMFC_BAD_FLAGS = 5,
	OFPMMFC_BAD_RATE = 6,
	OFPMMFC_BAD_BURST = 7,
	OFPMMFC_BAD_BAND = 8,
	OFPMMFC_BAD_BAND_VALUE = 9,
	OFPMMFC_OUT_OF_METERS = 10,
	OFPMMFC_OUT_OF_BANDS = 11,
};

enum ofp_table_features_failed_code {
	OFPTFFC_BAD_TABLE = 0,
	OFPTFFC_BAD_METADATA = 1,
	OFPTFFC_BAD_TYPE = 2,
	OFPTFFC_BAD_LEN = 3,
	OFPTFFC_BAD_ARGUMENT = 4,
	OFPTFFC_EPERM = 5,
};

/* An OpenFlow error: what a decode failure answers, and what an ERROR
 * message carries. */
struct ofp_error {
	uint16_t type;          /* enum ofp_error_type */
	uint16_t code;          /* the code enum of that type */
};

/* Multipart types (ofp_multipart_type). */
enum ofp_mp_type {
	OFPMP_DESC = 0,
	OFPMP_FLOW = 1,
	OFPMP_AGGREGATE = 2,
	OFPMP_TABLE = 3,
	OFPMP_PORT_STATS = 4,
	OFPMP_QUEUE = 5,
	OFPMP_GROUP = 6,
	OFPMP_GROUP_DESC = 7,
	OFPMP_GROUP_FEATURES = 8,
	OFPMP_METER = 9,
	OFPMP_METER_CONFIG = 10,
	OFPMP_METER_FEATURES = 11,
	OFPMP_TABLE_FEATURES = 12,
	OFPMP_PORT_DESC = 13,
	OFPMP_EXPERIMENTER = 0xffff,
};

#define OFPMPF_REQ_MORE 0x0001
#define OFPMPF_REPLY_MORE 0x0001

enum ofp_flow_mod_command {
	OFPFC_ADD = 0,
	OFPFC_MODIFY = 1,
	OFPFC_MODIFY_STRICT = 2,
	OFPFC_DELETE = 3,
	OFPFC_DELETE_STRICT = 4,
};

#define OFPTT_MAX 0xfe
#define OFPTT_ALL 0xff          /* flow_mod delete, flow stats: all tables */

enum ofp_group_mod_command {
	OFPGC_ADD = 0,
	OFPGC_MODIFY = 1,
	OFPGC_DELETE = 2,
};

enum ofp_meter_mod_command {
	OFPMC_ADD = 0,
	OFPMC_MODIFY = 1,
	OFPMC_DELETE = 2,
};

enum ofp_meter_flags {
	OFPMF_KBPS = 1 << 0,
	OFPMF_PKTPS = 1 << 1,
	OFPMF_BURST = 1 << 2,
	OFPMF_STATS = 1 << 3,
};

enum ofp_meter_band_type {
	OFPMBT_DROP = 1,
	OFPMBT_DSCP_REMARK = 2,
	OFPMBT_EXPERIMENTER = 0xffff,
};

#define OFPM_ALL 0xffffffffu
#define OFPQ_ALL 0xffffffffu

/* Instruction and action types, as on the wire. */
enum ofp_instruction_type {
	OFPIT_GOTO_TABLE = 1,
	OFPIT_WRITE_METADATA = 2,
	OFPIT_WRITE_ACTIONS = 3,
	OFPIT_APPLY_ACTIONS = 4,
	OFPIT_CLEAR_ACTIONS = 5,
	OFPIT_METER = 6,
	OFPIT_EXPERIMENTER = 0xffff,
};

enum ofp_action_type {
	OFPAT_OUTPUT = 0,
	OFPAT_COPY_TTL_OUT = 11,
	OFPAT_COPY_TTL_IN = 12,
	OFPAT_SET_MPLS_TTL = 15,
	OFPAT_DEC_MPLS_TTL = 16,
	OFPAT_PUSH_VLAN = 17,
	OFPAT_POP_VLAN = 18,
	OFPAT_PUSH_MPLS = 19,
	OFPAT_POP_MPLS = 20,
	OFPAT_SET_QUEUE = 21,
	OFPAT_GROUP = 22,
	OFPAT_SET_NW_TTL = 23,
	OFPAT_DEC_NW_TTL = 24,
	OFPAT_SET_FIELD = 25,
	OFPAT_PUSH_PBB = 26,
	OFPAT_POP_PBB = 27,
	OFPAT_EXPERIMENTER = 0xffff,
};

#define OFPCML_MAX 0xffe5       /* largest max_len that buffers */
#define OFPCML_NO_BUFFER 0xffff /* send the whole packet */

#define OFPMT_OXM 1
#define OFPXMC_OPENFLOW_BASIC 0x8000

/* Switch capabilities (features reply). */
enum ofp_capabilities {
	OFPC_FLOW_STATS = 1 << 0,
	OFPC_TABLE_STATS = 1 << 1,
	OFPC_PORT_STATS = 1 << 2,
	OFPC_GROUP_STATS = 1 << 3,
	OFPC_IP_REASM = 1 << 5,
	OFPC_QUEUE_STATS = 1 << 6,
	OFPC_PORT_BLOCKED = 1 << 8,
};

/* Switch configuration flags (SET_CONFIG / GET_CONFIG_REPLY). */
enum ofp_config_flags {
	OFPC_FRAG_NORMAL = 0,
	OFPC_FRAG_DROP = 1,
	OFPC_FRAG_REASM = 2,
	OFPC_FRAG_MASK = 3,
};

/* Port config, state and features bits. */
enum ofp_port_config {
	OFPPC_PORT_DOWN = 1 << 0,
	OFPPC_NO_RECV = 1 << 2,
	OFPPC_NO_FWD = 1 << 5,
	OFPPC_NO_PACKET_IN = 1 << 6,
};

enum ofp_port_state {
	OFPPS_LINK_DOWN = 1 << 0,
	OFPPS_BLOCKED = 1 << 1,
	OFPPS_LIVE = 1 << 2,
};

enum ofp_port_features {
	OFPPF_10MB_HD = 1 << 0,
	OFPPF_10MB_FD = 1 << 1,
	OFPPF_100MB_HD = 1 << 2,
	OFPPF_100MB_FD = 1 << 3,
	OFPPF_1GB_HD = 1 << 4,
	OFPPF_1GB_FD = 1 << 5,
	OFPPF_10GB_FD = 1 << 6,
	OFPPF_40GB_FD = 1 << 7,
	OFPPF_100GB_FD = 1 << 8,
	OFPPF_1TB_FD = 1 << 9,
	OFPPF_OTHER = 1 << 10,
	OFPPF_COPPER = 1 << 11,
	OFPPF_FIBER = 1 << 12,
	OFPPF_AUTONEG = 1 << 13,
	OFPPF_PAUSE = 1 << 14,
	OFPPF_PAUSE_ASYM = 1 << 15,
};

enum ofp_port_reason {
	OFPPR_ADD = 0,
	OFPPR_DELETE = 1,
	OFPPR_MODIFY = 2,
};

enum ofp_packet_in_reason {
	OFPR_NO_MATCH = 0,
	OFPR_ACTION = 1,
	OFPR_INVALID_TTL = 2,
};

enum ofp_flow_removed_reason {
	OFPRR_IDLE_TIMEOUT = 0,
	OFPRR_HARD_TIMEOUT = 1,
	OFPRR_DELETE = 2,
	OFPRR_GROUP_DELETE = 3,
};

enum ofp_controller_role {
	OFPCR_ROLE_NOCHANGE = 0,
	OFPCR_ROLE_EQUAL = 1,
	OFPCR_ROLE_MASTER = 2,
	OFPCR_ROLE_SLAVE = 3,
};

enum ofp_group_capabilities {
	OFPGFC_SELECT_WEIGHT = 1 << 0,
	OFPGFC_SELECT_LIVENESS = 1 << 1,
	OFPGFC_CHAINING = 1 << 2,
	OFPGFC_CHAINING_CHECKS = 1 << 3,
};

/* Message bodies. Strings are NUL-terminated in the struct; on the wire
 * they are NUL-padded to their fixed width (one byte shorter here never
 * loses anything: the spec requires the terminating NUL). */

/* HELLO. The version bitmap element, if any, is decoded; other elements
 * are skipped as the spec requires. */
struct ofp_hello {
	bool has_bitmap;
	uint32_t bitmap;        /* versions 0..31; bit 4 = OpenFlow 1.3 */
};

/* ERROR, both directions. 'data' points into the decoded buffer. For
 * OFPET_EXPERIMENTER, error.code is the exp_type. */
struct ofp_error_msg {
	struct ofp_error error;
	uint32_t experimenter;  /* OFPET_EXPERIMENTER only */
	const uint8_t *data;
	size_t data_len;
};

/* ECHO_REQUEST / ECHO_REPLY: any payload, pointing into the buffer. */
struct ofp_echo {
	const uint8_t *data;
	size_t data_len;
};

/* FEATURES_REPLY. */
struct ofp_features {
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id;
	uint32_t capabilities;  /* OFPC_* */
};

/* SET_CONFIG / GET_CONFIG_REPLY. */
struct ofp_switch_config {
	uint16_t flags;         /* OFPC_FRAG_* */
	uint16_t miss_send_len;
};

/* FLOW_MOD. 'spec' holds the match, priority, cookie and cookie_mask,
 * timeouts, flags, out_port / out_group and the instructions, ready for
 * the pipeline; spec.table_id == table_id. For ADD, cookie_mask is 0 and
 * out_port / out_group are NFV_OFPP_ANY / NFV_OFPG_ANY (the spec says
 * they are ignored); spec.has_table is false for OFPTT_ALL. */
struct ofp_flow_mod {
	uint8_t command;        /* OFPFC_* */
	uint8_t table_id;       /* OFPTT_ALL only for the delete commands */
	uint32_t buffer_id;     /* OFP_NO_BUFFER if none */
	struct nfv_flow_spec spec;
};

/* GROUP_MOD: the command and the group (spec.group_id may be
 * NFV_OFPG_ALL for DELETE). */
struct ofp_group_mod {
	uint16_t command;       /* OFPGC_* */
	struct nfv_group_spec spec;
};

/* PORT_MOD. */
struct ofp_port_mod {
	uint32_t port_no;
	uint8_t hw_addr[6];
	uint32_t config;        /* OFPPC_* */
	uint32_t mask;          /* bits of 'config' to change */
	uint32_t advertise;     /* OFPPF_*; 0 = leave unchanged */
};

/* TABLE_MOD. */
struct ofp_table_mod {
	uint8_t table_id;       /* or OFPTT_ALL */
	uint32_t config;
};

/* METER_MOD, decoded only far enough to answer it. */
struct ofp_meter_band {
	uint16_t type;          /* OFPMBT_* */
	uint32_t rate;
	uint32_t burst_size;
	uint8_t prec_level;     /* DSCP_REMARK */
	uint32_t experimenter;  /* EXPERIMENTER */
};

struct ofp_meter_mod {
	uint16_t command;       /* OFPMC_* */
	uint16_t flags;         /* OFPMF_* */
	uint32_t meter_id;
	unsigned int n_bands;
	struct ofp_meter_band bands[OFP_METER_MAX_BANDS];
};

/* PACKET_OUT. The actions are checked without a match (no prerequisite
 * checks; the semantics layer has the packet) and may output to
 * NFV_OFPP_TABLE. 'data' points into the buffer. */
struct ofp_packet_out {
	uint32_t buffer_id;     /* OFP_NO_BUFFER: the packet is 'data' */
	uint32_t in_port;       /* a port, NFV_OFPP_CONTROLLER, _LOCAL, _ANY */
	unsigned int n_actions;
	struct nfv_action actions[NFV_FLOW_MAX_ACTIONS];
	const uint8_t *data;
	size_t data_len;
};

/* MULTIPART_REQUEST. Which members count depends on 'type'. */
struct ofp_mp_request {
	uint16_t type;          /* enum ofp_mp_type */
	uint16_t flags;         /* always 0 once decoded (REQ_MORE refused) */
	/* FLOW, AGGREGATE: the filter. filter.table_id == table_id;
	 * filter.has_table is false for OFPTT_ALL; filter.out_port,
	 * out_group, cookie, cookie_mask and match as sent. */
	uint8_t table_id;
	struct nfv_flow_spec filter;
	uint32_t port_no;       /* PORT_STATS, QUEUE: NFV_OFPP_ANY = all */
	uint32_t queue_id;      /* QUEUE: OFPQ_ALL = all */
	uint32_t group_id;      /* GROUP: NFV_OFPG_ALL = all */
	uint32_t meter_id;      /* METER, METER_CONFIG: OFPM_ALL = all */
};

/* ROLE_REQUEST / ROLE_REPLY. */
struct ofp_role {
	uint32_t role;          /* OFPCR_ROLE_* */
	uint64_t generation_id;
};

/* SET_ASYNC / GET_ASYNC_REPLY: [0] master/equal, [1] slave. */
struct ofp_async {
	uint32_t packet_in_mask[2];
	uint32_t port_status_mask[2];
	uint32_t flow_removed_mask[2];
};

/* QUEUE_GET_CONFIG_REQUEST / _REPLY (nfvswitch has no queues: the reply
 * lists none). */
struct ofp_queue_get_config {
	uint32_t port;
};

/* PACKET_IN, switch to controller. The match carries in_port, and
 * metadata when it is not 0. The packet is 'packet_len' bytes at 'data';
 * the message carries at most 'max_len' of them (OFPCML_NO_BUFFER: all)
 * and never more than fits in one message; total_len says how long the
 * packet was (clamped to 65535). */
struct ofp_packet_in {
	uint32_t buffer_id;     /* OFP_NO_BUFFER, or the held packet */
	uint8_t reason;         /* OFPR_* */
	uint8_t table_id;
	uint64_t cookie;
	uint32_t in_port;
	uint64_t metadata;
	uint16_t max_len;       /* miss_send_len or the output's max_len */
	const uint8_t *data;
	size_t packet_len;
};

/* FLOW_REMOVED, switch to controller. */
struct ofp_flow_removed {
	uint64_t cookie;
	uint16_t priority;
	uint8_t reason;         /* OFPRR_* */
	uint8_t table_id;
	uint32_t duration_sec;
	uint32_t duration_nsec;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint64_t packet_count;
	uint64_t byte_count;
	struct nfv_match match;
};

/* A port (PORT_STATUS, PORT_DESC reply). */
struct ofp_port {
	uint32_t port_no;
	uint8_t hw_addr[6];
	char name[OFP_MAX_PORT_NAME_LEN];       /* longer names are cut */
	uint32_t config;        /* OFPPC_* */
	uint32_t state;         /* OFPPS_* */
	uint32_t curr;          /* OFPPF_* */
	uint32_t advertised;
	uint32_t supported;
	uint32_t peer;
	uint32_t curr_speed;    /* kbps */
	uint32_t max_speed;     /* kbps */
};

/* PORT_STATUS, switch to controller. */
struct ofp_port_status {
	uint8_t reason;         /* OFPPR_* */
	struct ofp_port desc;
};

/* One OpenFlow message. 'type' says which member of 'u' is valid; types
 * without a body use none. About 18 KB (the group_mod member): keep one per
 * connection rather than one per call on a small stack. */
struct ofp_msg {
	uint8_t version;        /* OFP_VERSION, except a HELLO's */
	uint8_t type;           /* enum ofp_type */
	uint32_t xid;
	union {
		struct ofp_hello hello;
		struct ofp_error_msg error;
		struct ofp_echo echo;                   /* ECHO_* */
		struct ofp_features features;           /* FEATURES_REPLY */
		struct ofp_switch_config config;        /* SET_CONFIG,
							 * GET_CONFIG_REPLY */
		struct ofp_packet_in packet_in;
		struct ofp_flow_removed flow_removed;
		struct ofp_port_status port_status;
		struct ofp_packet_out packet_out;
		struct ofp_flow_mod flow_mod;
		struct ofp_group_mod group_mod;
		struct ofp_port_mod port_mod;
		struct ofp_table_mod table_mod;
		struct ofp_mp_request mp_request;
		struct ofp_queue_get_config queue_get_config;
		struct ofp_role role;                   /* ROLE_* */
		struct ofp_async async;                 /* SET_ASYNC,
							 * GET_ASYNC_REPLY */
		struct ofp_meter_mod meter_mod;
	} u;
};

/* Framing. Given the 'avail' bytes at 'buf' of a byte stream, returns the
 * length of the message that starts there (8..65535) once its header is
 * in, 0 if fewer than 8 bytes are available, or -EBADMSG if the header
 * claims fewer than 8 bytes (the stream cannot be framed any more: answer
 * OFPBRC_BAD_LEN and close). The caller waits until that many bytes are
 * in, then decodes exactly them. */
int ofp_frame_len(const void *buf, size_t avail);

/* Decodes the one message in the 'len' bytes at 'buf' into 'msg'.
 * Returns 0, or -EBADMSG with the error to answer in '*err'. Either way
 * msg->version, type and xid are set when 'len' >= 8, so the error reply
 * can name the xid. Checks, in this order: len >= 8 (BAD_LEN), version
 * 0x04 unless HELLO (BAD_VERSION), header length == 'len' (BAD_LEN),
 * known type meant for a switch (BAD_TYPE), then the body. Decoded:
 * HELLO (any version), ERROR, ECHO_REQUEST/REPLY, FEATURES_REQUEST,
 * GET_CONFIG_REQUEST, SET_CONFIG, PACKET_OUT, FLOW_MOD, GROUP_MOD,
 * PORT_MOD, TABLE_MOD, MULTIPART_REQUEST, BARRIER_REQUEST,
 * QUEUE_GET_CONFIG_REQUEST, ROLE_REQUEST, GET_ASYNC_REQUEST, SET_ASYNC,
 * METER_MOD. EXPERIMENTER answers OFPBRC_BAD_EXPERIMENTER and messages a
 * switch only sends answer OFPBRC_BAD_TYPE. Pointers in 'msg' point into
 * 'buf'. */
int ofp_decode(const void *buf, size_t len, struct ofp_msg *msg,
	       struct ofp_error *err);

/* True if the peer's HELLO allows OpenFlow 1.3: its bitmap has bit 4, or,
 * without a bitmap, its version is 0x04 or later (then both use 1.3). */
bool ofp_hello_accepts_13(const struct ofp_msg *hello);

/* Encodes 'msg' (any type ofp_decode() accepts, plus FEATURES_REPLY,
 * GET_CONFIG_REPLY, PACKET_IN, FLOW_REMOVED, PORT_STATUS, BARRIER_REPLY,
 * QUEUE_GET_CONFIG_REPLY, ROLE_REPLY and GET_ASYNC_REPLY; not
 * MULTIPART_REPLY, see struct ofp_mp_writer) into the 'size' bytes at
 * 'buf', with version 0x04 (a HELLO also carries the 1.3 version bitmap).
 * Returns the message length, -ENOSPC if 'size' is too small,
 * -EMSGSIZE if the message would pass 65535 bytes, or -EINVAL for a type
 * it cannot encode or a value the wire cannot carry (an action or field
 * unknown to OpenFlow). A buffer of OFP_MSG_MAX bytes always suffices. */
int ofp_encode(const struct ofp_msg *msg, void *buf, size_t size);

/* Shorthands for the switch's frequent messages; return as ofp_encode().
 * A header-only message of 'type' (BARRIER_REPLY, FEATURES_REQUEST...): */
int ofp_encode_empty(void *buf, size_t size, uint8_t type, uint32_t xid);
/* HELLO with the version bitmap { 1.3 }: */
int ofp_encode_hello(void *buf, size_t size, uint32_t xid);
/* ERROR 'e' with data: the first OFP_ERROR_DATA_MAX bytes of the 'len'
 * bytes at 'data' (the offending request; for HELLO_FAILED an ASCII
 * reason). */
int ofp_encode_error(void *buf, size_t size, uint32_t xid,
		     struct ofp_error e, const void *data, size_t len);
/* ECHO_REPLY (or ECHO_REQUEST with 'type') with 'len' bytes of payload. */
int ofp_encode_echo(void *buf, size_t size, uint8_t type, uint32_t xid,
		    const void *data, size_t len);
int ofp_encode_packet_in(void *buf, size_t size, uint32_t xid,
			 const struct ofp_packet_in *pin);

/* Matches. The OXM form of 'm' (an ofp_match with its padding) as
 * flow stats, FLOW_REMOVED and PACKET_IN carry it: every matched field
 * that has an OXM number, exact ones without a mask; fields that share
 * storage (tcp_src / udp_src / icmp_type...) appear under the name whose
 * prerequisites hold. Fields without an OXM number (nw_ttl, ip_frag,
 * tcp_flags: only the flow syntax sets them) are left out. Returns the
 * bytes written, or -ENOSPC. */
int ofp_encode_match(const struct nfv_match *m, void *buf, size_t size);
/* Decodes the ofp_match at 'buf' (at most 'len' bytes) into '*m';
 * '*match_len' gets its padded length. Returns 0 or -EBADMSG with '*err'
 * (OFPET_BAD_MATCH codes). */
int ofp_decode_match(const void *buf, size_t len, struct nfv_match *m,
		     size_t *match_len, struct ofp_error *err);

/* Multipart reply entries, switch to controller. */

struct ofp_desc {
	char mfr_desc[OFP_DESC_STR_LEN];
	char hw_desc[OFP_DESC_STR_LEN];
	char sw_desc[OFP_DESC_STR_LEN];
	char serial_num[OFP_SERIAL_NUM_LEN];
	char dp_desc[OFP_DESC_STR_LEN];
};

/* One flow: priority, timeouts, flags, cookie, match, instructions and
 * table_id come from 'spec'. */
struct ofp_flow_stats {
	uint32_t duration_sec;
	uint32_t duration_nsec;
	uint64_t packet_count;
	uint64_t byte_count;
	struct nfv_flow_spec spec;
};

struct ofp_aggregate_stats {
	uint64_t packet_count;
	uint64_t byte_count;
	uint32_t flow_count;
};

struct ofp_table_stats {
	uint8_t table_id;
	uint32_t active_count;
	uint64_t lookup_count;
	uint64_t matched_count;
};

struct ofp_port_stats {
	uint32_t port_no;
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t rx_dropped;
	uint64_t tx_dropped;
	uint64_t rx_errors;
	uint64_t tx_errors;
	uint64_t rx_frame_err;
	uint64_t rx_over_err;
	uint64_t rx_crc_err;
	uint64_t collisions;
	uint32_t duration_sec;
	uint32_t duration_nsec;
};

struct ofp_queue_stats {
	uint32_t port_no;
	uint32_t queue_id;
	uint64_t tx_bytes;
	uint64_t tx_packets;
	uint64_t tx_errors;
	uint32_t duration_sec;
	uint32_t duration_nsec;
};

struct ofp_bucket_counter {
	uint64_t packet_count;
	uint64_t byte_count;
};

struct ofp_group_stats {
	uint32_t group_id;
	uint32_t ref_count;
	uint64_t packet_count;
	uint64_t byte_count;
	uint32_t duration_sec;
	uint32_t duration_nsec;
	unsigned int n_buckets;
	struct ofp_bucket_counter buckets[NFV_GROUP_MAX_BUCKETS];
};

struct ofp_group_features {
	uint32_t types;         /* bitmap of 1 << NFV_GT_* */
	uint32_t capabilities;  /* OFPGFC_* */
	uint32_t max_groups[4]; /* per group type */
	uint32_t actions[4];    /* per group type: bitmap of 1 << OFPAT_* */
};

struct ofp_meter_features {
	uint32_t max_meter;
	uint32_t band_types;    /* bitmap of 1 << OFPMBT_* */
	uint32_t capabilities;  /* OFPMF_* */
	uint8_t max_bands;
	uint8_t max_color;
};

/* One table's features. The properties (instructions, next tables, write
 * and apply actions, match, wildcards, write and apply set-field) are not
 * given: the encoder derives them from what the codec accepts and from
 * nfv_fields[], so they are true by construction. Table-miss properties
 * are left out: they equal the regular ones, which the spec allows. */
struct ofp_table_features {
	uint8_t table_id;
	char name[OFP_MAX_TABLE_NAME_LEN];
	uint64_t metadata_match;        /* all ones: every metadata bit */
	uint64_t metadata_write;
	uint32_t config;
	uint32_t max_entries;
	unsigned int n_tables;          /* next tables: table_id+1..n_tables-1 */
};

/* Streams one multipart reply as messages of at most OFP_MSG_MAX bytes.
 * Add entries one by one; when one does not fit in the current message,
 * that message goes to 'send' with OFPMPF_REPLY_MORE and a new one starts;
 * ofp_mp_writer_finish() sends the last one (possibly with an empty body)
 * without the flag. The writer is about 64 KB: allocate it once per
 * connection. */
typedef int ofp_send_fn(void *arg, const void *msg, size_t len);

struct ofp_mp_writer {
	ofp_send_fn *send;      /* returns 0 or a negative errno */
	void *arg;
	uint32_t xid;
	uint16_t type;          /* enum ofp_mp_type */
	int error;              /* first error: later calls do nothing */
	unsigned int n_msgs;    /* messages sent so far */
	unsigned int n_entries; /* entries in the current message */
	size_t len;             /* bytes in 'buf' */
	uint8_t buf[OFP_MSG_MAX];
};

/* Starts a reply of 'type' to request 'xid'. */
void ofp_mp_writer_init(struct ofp_mp_writer *w, uint16_t type, uint32_t xid,
			ofp_send_fn *send, void *arg);
/* Each returns 0, -EMSGSIZE if one entry cannot fit in a message, -EINVAL
 * for a value the wire cannot carry, or the first error of 'send'. */
int ofp_mp_add_raw(struct ofp_mp_writer *w, const void *entry, size_t len);
int ofp_mp_add_desc(struct ofp_mp_writer *w, const struct ofp_desc *d);
int ofp_mp_add_flow_stats(struct ofp_mp_writer *w,
			  const struct ofp_flow_stats *fs);
int ofp_mp_add_aggregate(struct ofp_mp_writer *w,
			 const struct ofp_aggregate_stats *as);
int ofp_mp_add_table_stats(struct ofp_mp_writer *w,
			   const struct ofp_table_stats *ts);
int ofp_mp_add_port_stats(struct ofp_mp_writer *w,
			  const struct ofp_port_stats *ps);
int ofp_mp_add_queue_stats(struct ofp_mp_writer *w,
			   const struct ofp_queue_stats *qs);
int ofp_mp_add_group_stats(struct ofp_mp_writer *w,
			   const struct ofp_group_stats *gs);
int ofp_mp_add_group_desc(struct ofp_mp_writer *w,
			  const struct nfv_group_spec *g);
int ofp_mp_add_group_features(struct ofp_mp_writer *w,
			      const struct ofp_group_features *gf);
int ofp_mp_add_meter_features(struct ofp_mp_writer *w,
			      const struct ofp_meter_features *mf);
int ofp_mp_add_table_features(struct ofp_mp_writer *w,
			      const struct ofp_table_features *tf);
int ofp_mp_add_port_desc(struct ofp_mp_writer *w, const struct ofp_port *p);
/* Sends the last message. Returns 0 or the writer's first error. */
int ofp_mp_writer_finish(struct ofp_mp_writer *w);

/* Multipart replies as a controller reads them (tests, tools). */
struct ofp_mp_reply {
	uint32_t xid;
	uint16_t type;
	uint16_t flags;         /* OFPMPF_REPLY_MORE */
	const uint8_t *body;
	size_t body_len;
};

/* Checks the header of the MULTIPART_REPLY in the 'len' bytes at 'buf'
 * and finds its body. Returns 0 or -EBADMSG with '*err'. */
int ofp_decode_mp_reply(const void *buf, size_t len, struct ofp_mp_reply *r,
			struct ofp_error *err);
/* Decodes the flow stats entry at '*body' into 'fs' and moves '*body' and
 * '*len' past it (as ofp_decode() checks a FLOW_MOD). Returns 1 with an
 * entry, 0 at the end, -EBADMSG with '*err'. */
int ofp_decode_flow_stats(const uint8_t **body, size_t *len,
			  struct ofp_flow_stats *fs, struct ofp_error *err);

/* Names for logs: "FLOW_MOD", "OFPBMC_BAD_PREREQ" ("unknown" if
 * unknown). */
const char *ofp_type_name(uint8_t type);
const char *ofp_error_type_name(uint16_t type);
const char *ofp_error_code_name(struct ofp_error e);

#endif /* NFV_OFP_CODEC_H */
