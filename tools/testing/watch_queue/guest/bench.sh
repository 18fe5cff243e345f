#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: the benchmark of the variant whose build tree is $2,
# its "result" lines into $1/bench.txt.
R=$1
OBJ=$2
ROUNDS=${3:-40}
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
{
	echo "kernel $(uname -r) $(grep -q '11watch_queue5queue' /proc/kallsyms && echo rust || echo c)"
	keyctl session wq-bench "$OBJ/selftests/wq_bench" "$ROUNDS"
} >"$R/bench.txt" 2>&1
echo done >"$R/status"
