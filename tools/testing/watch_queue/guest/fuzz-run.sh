#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest for "wq fuzz": wq_fuzz ARGS... of the variant built
# in $2, its output into $1 (out.txt, err.txt, rc), then the kernel log and,
# on the debug flavour, what kmemleak found.
R=$1
OBJ=$2
shift 2
cd "$R" || exit 1
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
"$OBJ/selftests/wq_fuzz" "$@" >"$R/out.txt" 2>"$R/err.txt"
echo $? >"$R/rc"
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$R/kmemleak.txt"
fi
dmesg >"$R/dmesg.txt"
echo done >"$R/status"
