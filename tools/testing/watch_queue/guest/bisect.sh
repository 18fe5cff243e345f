#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest for "wq export --check": a bisection point of the
# series (a kernel built after one of its patches) with the kselftests that
# its build tree $2 holds; results into $1, as run-tests.sh leaves them.
R=$1
OBJ=$2
cd "$R" || exit 1

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null

for t in "$OBJ"/selftests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	timeout 600 "$t" >"$R/$(basename "$t").tap" 2>&1
done

dmesg >"$R/dmesg.txt"
echo done >"$R/status"
