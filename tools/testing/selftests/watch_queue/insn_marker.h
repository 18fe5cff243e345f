/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Marker instructions for the insn_count QEMU plugin
 * (tools/testing/watch_queue/plugin/insn_count.c), x86-64 only.
 *
 * A marker is the 7-byte NOP "nopl disp32(%rax)" with the displacement
 * 0x5751TTKK: TT is a tag (0..255) naming the measured window, KK the kind
 * (0x01 START, 0x02 STOP).  On real hardware and under QEMU without the
 * plugin it does nothing.  Under the plugin, STOP minus START is exactly the
 * number of instructions executed between the two markers (they are not
 * counted themselves), in user space and in the kernel alike.
 *
 * The tag lives in the instruction, so it must be a compile-time constant:
 * insn_mark() is always inlined, and its callers pass constants.  The
 * "memory" clobber keeps the compiler from moving memory accesses across a
 * marker, but not register-only arithmetic: to measure an exact sequence,
 * put the markers in the same asm statement as the code, with
 * INSN_MARK_ASM().
 *
 * Nothing here depends on libc.
 */
#ifndef INSN_MARKER_H
#define INSN_MARKER_H

#include <linux/compiler.h>	/* tools/include: __always_inline */

#define INSN_MARK_KIND_START	0x01
#define INSN_MARK_KIND_STOP	0x02

/* The displacement of a marker of TAG (0..255); an asm "i" operand. */
#define INSN_MARK_DISP(kind, tag)	(0x57510000 + ((tag) << 8) + (kind))

/*
 * Assembler text of one marker.  @op is the operand reference, as a string,
 * of an "i" operand with the value INSN_MARK_DISP(): "%c0" or "%c[start]".
 */
#define INSN_MARK_ASM(op)	".byte 0x0f, 0x1f, 0x80\n\t.long " op "\n\t"

/*
 * One marker.  Elsewhere than on x86-64 it is nothing at all, so that code
 * using markers builds on every architecture.
 */
static __always_inline void insn_mark(unsigned int kind, unsigned int tag)
{
#ifdef __x86_64__
	asm volatile(INSN_MARK_ASM("%c0")
		     : : "i" (INSN_MARK_DISP(kind, tag)) : "memory");
#endif
}

static __always_inline void insn_mark_start(unsigned int tag)
{
	insn_mark(INSN_MARK_KIND_START, tag);
}

static __always_inline void insn_mark_stop(unsigned int tag)
{
	insn_mark(INSN_MARK_KIND_STOP, tag);
}

#endif /* INSN_MARKER_H */
