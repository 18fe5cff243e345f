// SPDX-License-Identifier: GPL-2.0
/*
 * insn_count: exact guest instruction counts between marker instructions,
 * as a QEMU TCG plugin for qemu-system-x86_64 7.2 (plugin API version 1).
 *
 *	qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off -smp 1 \
 *		-plugin insn_count.so -d plugin -D icount.log ...
 *
 * Counting.  Every translated instruction except a marker gets an inline
 * add to one of two counters, picked at translation time from the
 * instruction's virtual address: bit 63 set (the x86-64 kernel half) or
 * clear (user space).  API v1 cannot read CPU state, so the address is the
 * only way to tell the two apart, and the split is what shows an interrupt
 * taken inside a user-space window.  The add is emitted at the start of the
 * instruction, so an instruction that raises an exception (a page fault,
 * say) is counted once per attempt.  TCG takes interrupts only between
 * translation blocks, so they never cut an instruction in two; their
 * handlers are counted like any other kernel code.  The counters are plain
 * variables: the plugin refuses to load with more than one vCPU.
 *
 * Markers.  A marker is the 7-byte NOP "nopl disp32(%rax)", that is
 * 0f 1f 80 followed by the little-endian displacement
 *
 *	0x5751TTKK	TT: tag, 0..255, to tell measured windows apart
 *			KK: kind, 0x01 START or 0x02 STOP
 *
 * so START and STOP of tag 0 are 0x57510001 and 0x57510002.  Other kinds
 * are reserved: such NOPs are ordinary, counted instructions.  A marker is
 * recognised when its block is translated, is itself never counted, and
 * on each execution prints one line through the QEMU log (-d plugin):
 *
 *	insn-count start|stop TAG TOTAL KERNEL
 *
 * TOTAL is the number of instructions executed so far, markers excepted,
 * and KERNEL the part of them in the kernel half.  STOP minus START is
 * therefore exactly the instructions executed between the two markers.
 * When QEMU exits the plugin prints "insn-count exit TOTAL KERNEL".
 *
 * The plugin takes no arguments.  Build:
 *	gcc -shared -fPIC -O2 -Wall -o insn_count.so insn_count.c
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "qemu-plugin-v1.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MARK_OPCODE_LEN		3	/* 0f 1f 80 */
#define MARK_LEN		(MARK_OPCODE_LEN + 4)
#define MARK_MAGIC		0x5751
#define MARK_START		0x01
#define MARK_STOP		0x02

static const uint8_t mark_opcode[MARK_OPCODE_LEN] = { 0x0f, 0x1f, 0x80 };

/* Instructions executed in the user [0] and kernel [1] halves. */
static uint64_t insns[2];

/*
 * The low 16 bits of the displacement (tag and kind) of the marker at
 * @insn, or 0 if @insn is not a marker.
 */
static uint16_t mark_of(const struct qemu_plugin_insn *insn)
{
	const uint8_t *p = qemu_plugin_insn_data(insn);
	uint32_t disp;

	if (qemu_plugin_insn_size(insn) != MARK_LEN ||
	    memcmp(p, mark_opcode, MARK_OPCODE_LEN))
		return 0;
	disp = p[3] | p[4] << 8 | p[5] << 16 | (uint32_t)p[6] << 24;
	if (disp >> 16 != MARK_MAGIC)
		return 0;
	switch (disp & 0xff) {
	case MARK_START:
	case MARK_STOP:
		return disp & 0xffff;
	default:
		return 0;
	}
}

static void print_counts(const char *what)
{
	char line[96];

	snprintf(line, sizeof(line), "insn-count %s %" PRIu64 " %" PRIu64 "\n",
		 what, insns[0] + insns[1], insns[1]);
	qemu_plugin_outs(line);
}

static void mark_exec(unsigned int vcpu_index, void *udata)
{
	uint16_t mark = (uintptr_t)udata;
	char what[16];

	snprintf(what, sizeof(what), "%s %u",
		 (mark & 0xff) == MARK_START ? "start" : "stop", mark >> 8);
	print_counts(what);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint16_t mark = mark_of(insn);
		int kernel = qemu_plugin_insn_vaddr(insn) >> 63;

		if (mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, mark_exec,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)mark);
		else
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
								   QEMU_PLUGIN_INLINE_ADD_U64,
								   &insns[kernel], 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	print_counts("exit");
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	if (argc) {
		qemu_plugin_outs("insn-count: takes no arguments\n");
		return -1;
	}
	/* The marker encoding and the kernel-half test are x86-64 only. */
	if (strcmp(info->target_name, "x86_64")) {
		qemu_plugin_outs("insn-count: target is not x86_64\n");
		return -1;
	}
	if (info->system_emulation && info->system.max_vcpus != 1) {
		qemu_plugin_outs("insn-count: needs exactly one vCPU (-smp 1)\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
