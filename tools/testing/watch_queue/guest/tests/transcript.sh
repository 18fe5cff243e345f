#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The same key script under two unmodified readers of notification pipes, the
# kernel's samples/watch_queue/watch_test and keyutils' "keyctl watch".  What
# they print, with key serials (random at every boot) replaced by names, goes
# to $R/transcript.txt: the host compares it between the C and the Rust
# variant.  Prints TAP.
OBJ=${OBJ:?}
R=${R:?}
W=$(mktemp -d)

keyctl session wq-transcript sh -c '
	OBJ=$1 W=$2
	stdbuf -oL "$OBJ/samples/watch_queue/watch_test" >"$W/watch_test.out" 2>&1 &
	p1=$!
	stdbuf -oL keyctl watch @s >"$W/keyctl_watch_session.out" 2>&1 &
	p2=$!
	sleep 1
	s=$(keyctl show @s | sed -n "2s/^ *\([0-9]*\).*/\1/p")
	u=$(keyctl show @u | sed -n "2s/^ *\([0-9]*\).*/\1/p")
	k=$(keyctl add user t-key hello @s)
	stdbuf -oL keyctl watch "$k" >"$W/keyctl_watch_key.out" 2>&1 &
	p3=$!
	sleep 1
	keyctl update "$k" world
	r=$(keyctl newring t-ring @s)
	keyctl link "$k" "$r"
	keyctl unlink "$k" "$r"
	keyctl setperm "$k" 0x3f3f0000
	keyctl revoke "$k"
	keyctl clear @s
	sleep 2
	kill $p1 $p2 $p3
	wait
	echo "$s session" >"$W/ids"
	echo "$u user" >>"$W/ids"
	echo "$k key" >>"$W/ids"
	echo "$r ring" >>"$W/ids"
' sh "$OBJ" "$W"

# Key serials appear in decimal (keyctl) and as %08x (watch_test).
sedscript=
while read -r id name; do
	[ -n "$id" ] || continue
	hex=$(printf %08x "$id")
	sedscript="$sedscript;s/\\b$id\\b/<$name>/g;s/\\b$hex\\b/<$name>/g"
done <"$W/ids"

readers="watch_test keyctl_watch_session keyctl_watch_key"
{
	for f in $readers; do
		echo "== $f"
		# The offset of a note in the read buffer and the size of a read
		# depend on how notes were batched, that is on timing.
		sed -e "s/^NOTIFY\[[0-9a-f]*\]/NOTIFY/" -e "/^read() = /d" \
		    -e "${sedscript#;}" "$W/$f.out"
	done
} >"$R/transcript.txt"

# What each reader must at least have seen.
echo "1..3"
i=0
for f in $readers; do
	i=$((i + 1))
	case $f in
	watch_test)	want="change=2[linked] change=2[linked] change=4[cleared]" ;;
	keyctl_watch_session) want="link clr" ;;
	keyctl_watch_key) want="" ;;
	esac
	missing=
	for w in $want; do
		grep -qF -- "$w" "$W/$f.out" || missing="$missing $w"
	done
	[ "$(grep -c . "$W/$f.out")" -ge 3 ] || missing="$missing (3 lines)"
	if [ -z "$missing" ]; then
		echo "ok $i $f"
	else
		echo "not ok $i $f (missing:$missing)"
		sed 's/^/# /' "$W/$f.out"
	fi
done
rm -rf "$W"
