#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fuzzer (tools/testing/selftests/watch_queue/wq_fuzz.c), for a bounded
# share of the suite's time.  On the debug flavours: the concurrent mode,
# threads on shared objects with the fault injectors on, whose pass mark is
# no broken invariant here and no report in the kernel log.  Elsewhere: the
# differential mode on a fixed seed set, its trace in $R/fuzz.txt, which the
# host compares between the C and the Rust variant ("wq fuzz" runs either
# for longer).  Prints TAP.
OBJ=${OBJ:?}
R=${R:?}
F=$OBJ/selftests/wq_fuzz
SEEDS=${WQ_FUZZ_SEEDS:-300}
OPS=${WQ_FUZZ_OPS:-400}
SECONDS_CONC=${WQ_FUZZ_SECONDS:-30}

echo "1..1"
if [ ! -x "$F" ]; then
	echo "not ok 1 fuzz # wq_fuzz was not built"
	exit 0
fi
t0=$(date +%s)
if grep -q '^CONFIG_KASAN=y' "$OBJ/.config"; then
	faults=
	[ -d /sys/kernel/debug/failslab ] && faults=faults
	if "$F" conc "$SECONDS_CONC" 4 1 $faults >"$R/fuzz_conc.txt" 2>&1; then
		echo "ok 1 fuzz_conc # $(tail -n1 "$R/fuzz_conc.txt")"
	else
		echo "not ok 1 fuzz_conc # $(grep -m1 broken "$R/fuzz_conc.txt")"
	fi
	exit 0
fi
if "$F" diff 1 "$SEEDS" "$OPS" >"$R/fuzz.txt" 2>"$R/fuzz.err"; then
	n=$(grep -c '^[0-9]' "$R/fuzz.txt")
	echo "ok 1 fuzz_diff # seeds 1-$SEEDS, $n operations, $(($(date +%s) - t0)) s"
else
	echo "not ok 1 fuzz_diff # $(head -n1 "$R/fuzz.err")"
fi
