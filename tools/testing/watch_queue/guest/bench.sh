#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: the benchmark of the variant whose build tree is $2,
# its "result" and "insn-window" lines into $1/bench.txt.  With "count" as
# $4 (a boot under the insn_count plugin), insn_count_check runs first, its
# lines into $1/check.txt.  With "mounts" as $5, only the mount workloads
# (which a kernel without the feature runs too).
R=$1
OBJ=$2
ROUNDS=${3:-40}
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if [ "$4" = count ]; then
	"$OBJ/selftests/insn_count_check" >"$R/check.txt" 2>&1
fi
{
	echo "kernel $(uname -r) $(grep -q '11watch_queue5queue' /proc/kallsyms && echo rust || echo c)"
	if [ "$5" = mounts ]; then
		"$OBJ/selftests/wq_bench" "$ROUNDS" mounts
	else
		keyctl session wq-bench "$OBJ/selftests/wq_bench" "$ROUNDS"
	fi
} >"$R/bench.txt" 2>&1
echo done >"$R/status"
