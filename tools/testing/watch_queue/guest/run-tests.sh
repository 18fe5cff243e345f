#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest: every test of the suite, results into $1 (a directory
# the host can read), the variant's build tree in $2.  The host reads:
#   *.tap        one TAP stream per test program
#   dmesg.txt    the kernel log (KUnit results, reports)
#   kmemleak.txt what a kmemleak scan found (debug flavour)
#   status       "done" once everything ran
R=$1
OBJ=$2
GUEST=$(dirname "$0")
cd "$R" || exit 1

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null

if ! grep -q '^CONFIG_WATCH_QUEUE=y' "$OBJ/.config"; then
	# The feature is compiled out: only what userspace gets then.
	timeout 300 sh "$GUEST/compiled-out.sh" >"$R/compiled_out.tap" 2>&1
	dmesg >"$R/dmesg.txt"
	echo done >"$R/status"
	exit 0
fi

# Tests in shell (keyutils, the sample); each prints TAP.
for t in "$GUEST"/tests/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	R=$R OBJ=$OBJ timeout 300 sh "$t" >"$R/$name.tap" 2>&1
done

# The kselftests.
for t in "$OBJ"/selftests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	# Not tests: "wq bench" runs them, and guest/tests/fuzz.sh the fuzzer.
	case $t in *_bench|*/insn_count_check|*/wq_fuzz) continue ;; esac
	timeout 600 "$t" >"$R/$(basename "$t").tap" 2>&1
done

if [ -e /sys/kernel/debug/kmemleak ]; then
	# kmemleak reports an object that two scans found unreferenced and
	# unchanged, and that is over 5 seconds old at the second.  A scan
	# takes seconds on a debug guest: wait only for what the first left
	# of 6 seconds (with shell built-ins: starting a program takes a third
	# of a second there).
	read -r up _ </proc/uptime
	until=$((${up%.*} + 6))
	echo scan >/sys/kernel/debug/kmemleak
	read -r up _ </proc/uptime
	[ "${up%.*}" -ge "$until" ] || sleep $((until - ${up%.*}))
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$R/kmemleak.txt"
fi

dmesg >"$R/dmesg.txt"
echo done >"$R/status"
