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

# Run by "keyctl watch_session" with its queue on fd 9.  (keyutils leaves
# the queue's write end open on the lowest free fd: were that the fd asked
# for, dup2() would close the only writer and its reader would see EOF.)
cat >"$W/ws.sh" <<'END'
W=$1
w=$(keyctl show @s | sed -n "2s/^ *\([0-9]*\).*/\1/p")
k=$(keyctl add user ws-key a @s)
keyctl watch_add 9 "$k"
keyctl update "$k" b
keyctl watch_rm 9 "$k"
keyctl update "$k" c
keyctl unlink "$k" @s
keyctl watch_sync 9
echo "$w wsession" >"$W/ws_ids"
echo "$k wskey" >>"$W/ws_ids"
END

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
	# keyutils watch_session, with watch_add, watch_rm and watch_sync on
	# the queue it exports.
	keyctl watch_session -n t-ws "$W/watch_session.out" "$W/watch_session_gc.out" 9 \
		sh "$W/ws.sh" "$W" >"$W/watch_session.stdout" 2>&1
	echo "$s session" >"$W/ids"
	echo "$u user" >>"$W/ids"
	echo "$k key" >>"$W/ids"
	echo "$r ring" >>"$W/ids"
	cat "$W/ws_ids" >>"$W/ids" 2>/dev/null
' sh "$OBJ" "$W"

# Key serials appear in decimal (keyctl) and as %08x (watch_test).
sedscript=
while read -r id name; do
	[ -n "$id" ] || continue
	hex=$(printf %08x "$id")
	sedscript="$sedscript;s/\\b$id\\b/<$name>/g;s/\\b$hex\\b/<$name>/g"
done <"$W/ids"

readers="watch_test keyctl_watch_session keyctl_watch_key watch_session watch_session_gc"
{
	for f in $readers; do
		echo "== $f"
		# The offset of a note in the read buffer and the size of a read
		# depend on how notes were batched, that is on timing.
		sed -e "s/^NOTIFY\[[0-9a-f]*\]/NOTIFY/" -e "/^read() = /d" \
		    -e "${sedscript#;}" "$W/$f.out"
	done
} >"$R/transcript.txt"

# What each reader must at least have seen, and how many lines.
echo "1..5"
i=0
for f in $readers; do
	i=$((i + 1))
	case $f in
	watch_test)	want="change=2[linked] change=2[linked] change=4[cleared]"; min=6 ;;
	keyctl_watch_session) want="link clr"; min=3 ;;
	keyctl_watch_key) want="upd attr rev"; min=3 ;;
	# The watch on the key (watch_add) saw the update; its removal
	# (watch_rm) went to the gc log.
	watch_session) want="link upd unlk"; min=3 ;;
	watch_session_gc) want="gc"; min=1 ;;
	esac
	missing=
	for w in $want; do
		grep -qF -- "$w" "$W/$f.out" || missing="$missing $w"
	done
	[ "$(grep -c . "$W/$f.out")" -ge $min ] || missing="$missing ($min lines)"
	if [ -z "$missing" ]; then
		echo "ok $i $f"
	else
		echo "not ok $i $f (missing:$missing)"
		sed 's/^/# /' "$W/$f.out"
	fi
done
rm -rf "$W"
