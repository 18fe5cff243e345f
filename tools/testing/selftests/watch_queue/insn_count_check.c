// SPDX-License-Identifier: GPL-2.0
/*
 * Known instruction sequences between insn_count markers (insn_marker.h),
 * so that the host can check the plugin's counts exactly.  Each window is a
 * single asm statement, so the compiler cannot add or move instructions
 * inside it, and is announced after it ran by one line
 *
 *	insn-count-check TAG N K A
 *
 * meaning that the window executed exactly A + N * K user-space
 * instructions.  Kernel-space instructions in a window come from interrupts
 * or, for the getppid window, from the system call; the host reports them
 * but cannot predict them.  Without the plugin the markers are NOPs and the
 * program only prints its lines.
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "insn_marker.h"

#ifndef __x86_64__
/* The windows below are x86-64 code, as are the plugin's markers. */
int main(void)
{
	return 4;	/* KSFT_SKIP */
}
#else

#define REPS		3

/* loop() runs N iterations of LOOP_K instructions, plus LOOP_A around them. */
#define LOOP_K		5
#define LOOP_A		3

/*
 * N iterations of LOOP_K instructions, plus LOOP_A around them, between the
 * markers of TAG.  Always inlined: TAG, a constant, is part of the markers.
 */
static __always_inline void loop(unsigned int tag, unsigned long n)
{
	unsigned long cnt, acc = 0;

	asm volatile(INSN_MARK_ASM("%c[start]")
		     "mov %[iters], %[cnt]\n\t"
		     "test %[cnt], %[cnt]\n\t"
		     "jz 2f\n"
		     "1:\n\t"
		     "add $3, %[acc]\n\t"
		     "xor %[cnt], %[acc]\n\t"
		     "rol $5, %[acc]\n\t"
		     "dec %[cnt]\n\t"
		     "jnz 1b\n"
		     "2:\n\t"
		     INSN_MARK_ASM("%c[stop]")
		     : [cnt] "=&r" (cnt), [acc] "+r" (acc)
		     : [iters] "r" (n),
		       [start] "i" (INSN_MARK_DISP(INSN_MARK_KIND_START, tag)),
		       [stop] "i" (INSN_MARK_DISP(INSN_MARK_KIND_STOP, tag))
		     : "cc", "memory");
}

/*
 * N iterations of CROSS_K instructions, plus CROSS_A before them, in which
 * the second instruction of the loop crosses a page boundary in the middle
 * of a translation block: the page-aligned loop starts 5 bytes before the
 * end of a page, with a 4-byte add and then a 3-byte xor across it.  The
 * registers are fixed, so that the encodings are.
 */
#define CROSS_TAG	30
#define CROSS_K		5
#define CROSS_A		2

static void page_crossing_loop(unsigned long n)
{
	register unsigned long cnt asm("rcx");
	register unsigned long acc asm("rax") = 0;

	asm volatile(INSN_MARK_ASM("%c[start]")
		     "mov %[iters], %%rcx\n\t"
		     "jmp 1f\n\t"
		     ".p2align 12, 0xcc\n\t"
		     ".skip 4096 - 5, 0xcc\n"
		     "1:\n\t"
		     "add $3, %%rax\n\t"		/* 48 83 c0 03, ends the page */
		     "xor %%rcx, %%rax\n\t"	/* 48 31 c8, across the boundary */
		     "rol $5, %%rax\n\t"
		     "dec %%rcx\n\t"
		     "jnz 1b\n\t"
		     INSN_MARK_ASM("%c[stop]")
		     : "=&c" (cnt), "+a" (acc)
		     : [iters] "r" (n),
		       [start] "i" (INSN_MARK_DISP(INSN_MARK_KIND_START, CROSS_TAG)),
		       [stop] "i" (INSN_MARK_DISP(INSN_MARK_KIND_STOP, CROSS_TAG))
		     : "cc", "memory");
}

/* getppid() through a bare syscall: one user-space instruction. */
#define SYSCALL_TAG	20
#define SYSCALL_A	1

static void syscall_window(void)
{
	long ret;

	asm volatile(INSN_MARK_ASM("%c[start]")
		     "syscall\n\t"
		     INSN_MARK_ASM("%c[stop]")
		     : "=a" (ret)
		     : "0" ((long)SYS_getppid),
		       [start] "i" (INSN_MARK_DISP(INSN_MARK_KIND_START, SYSCALL_TAG)),
		       [stop] "i" (INSN_MARK_DISP(INSN_MARK_KIND_STOP, SYSCALL_TAG))
		     : "rcx", "r11", "cc", "memory");
}

static void check_line(unsigned int tag, unsigned long n, int k, int a)
{
	printf("insn-count-check %u %lu %d %d\n", tag, n, k, a);
}

int main(void)
{
	unsigned int rep;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (rep = 0; rep < REPS; rep++) {
		/* One window of each tag, loop() with constants. */
		loop(1, 0);
		check_line(1, 0, LOOP_K, LOOP_A);
		loop(2, 1);
		check_line(2, 1, LOOP_K, LOOP_A);
		loop(3, 1000);
		check_line(3, 1000, LOOP_K, LOOP_A);
		loop(4, 1000000);
		check_line(4, 1000000, LOOP_K, LOOP_A);
		syscall_window();
		check_line(SYSCALL_TAG, 0, 0, SYSCALL_A);
		page_crossing_loop(1000);
		check_line(CROSS_TAG, 1000, CROSS_K, CROSS_A);
	}
	return 0;
}
#endif /* __x86_64__ */
