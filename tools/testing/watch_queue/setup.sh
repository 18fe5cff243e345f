#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs everything the watch_queue harness needs on a fresh Debian bookworm
# host and fetches the pinned base.  Idempotent: every step checks first.
# Downloads and unpacked trees live in $WQ_CACHE, outside the clone.
#
# Environment:
#   WQ_CACHE            cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/wq-rust)
#   WQ_BASE_VERSION     override the pinned linux-source-7.3 version (the sha256
#                       check is then skipped and the override is reported)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/pins.sh"

WQ_CACHE=${WQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wq-rust}
mkdir -p "$WQ_CACHE"
log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# 1. Host packages.
host_pkgs=(flex bison bc libelf-dev libssl-dev cpio qemu-system-x86 busybox-static
	   keyutils python3-venv udev ccache xz-utils zstd rsync kmod
	   clang-22 lld-22 llvm-22 libclang-22-dev)
missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing host packages: ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

# 2. bindgen.
export PATH="$HOME/.cargo/bin:$PATH"
if ! bindgen --version 2>/dev/null | grep -qx "bindgen $BINDGEN_VERSION"; then
	log "installing bindgen-cli $BINDGEN_VERSION"
	cargo install -q --locked bindgen-cli --version "$BINDGEN_VERSION"
fi

# 3. virtme-ng in a venv, beside the downloads and the unpacking below (the
#    builds that follow setup need the base, and only the guests need vng).
venv="$WQ_CACHE/venv"
venv_pid=
if ! "$venv/bin/vng" --version >/dev/null 2>&1; then
	log "installing virtme-ng $VIRTME_NG_VERSION"
	(python3 -m venv "$venv" && "$venv/bin/pip" install -q "virtme-ng==$VIRTME_NG_VERSION") &
	venv_pid=$!
fi

# 4. Private apt configuration for trixie-backports: the host's sources stay
#    untouched.
apt_dir="$WQ_CACHE/apt"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
	  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
	  -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1"
	  -o "APT::Sandbox::User=root")
private_apt_update() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	cat >"$apt_dir/sources.list" <<EOS
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
EOS
	if [ -z "$(find "$apt_dir/lists" -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		log "updating the private apt lists (trixie-backports)"
		apt-get "${apt_opts[@]}" update -qq >/dev/null
	fi
}
# fetch_deb NAME VERSION DEST: download NAME=VERSION into DEST, or list the
# versions there are and fail.
fetch_deb() {
	local name=$1 version=$2 dest=$3
	mkdir -p "$dest"
	(cd "$dest" && apt-get "${apt_opts[@]}" download -qq "$name=$version" >/dev/null 2>&1) && return 0
	log "$name version $version is not available; available versions:"
	apt-cache "${apt_opts[@]}" madison "$name" >&2 || true
	return 1
}

# 5. rust-src matching rustc, for RUST_LIB_SRC.
rustc_ver=$(rustc --version | awk '{print $2}')
rust_src="$WQ_CACHE/rust-src-$rustc_ver"
if [ ! -d "$rust_src/usr/lib/rustlib/src/rust/library" ]; then
	private_apt_update
	ver=$(apt-cache "${apt_opts[@]}" madison rust-src | awk -v v="$rustc_ver" '
		{ split($3, a, "+"); if (a[1] == v) { print $3; exit } }')
	[ -n "$ver" ] || die "no Debian rust-src for rustc $rustc_ver in trixie-backports"
	log "fetching rust-src $ver"
	tmp=$(mktemp -d)
	fetch_deb rust-src "$ver" "$tmp" || die "rust-src $ver not fetched"
	rm -rf "$rust_src.tmp" && dpkg -x "$tmp"/rust-src_*.deb "$rust_src.tmp"
	mv "$rust_src.tmp" "$rust_src"
	rm -rf "$tmp"
fi

# 6. The pinned base.
base_version=${WQ_BASE_VERSION:-$BASE_VERSION}
base_dir="$WQ_CACHE/base/linux-source-$(echo "$base_version" | tr "~+" "__")"
if [ ! -f "$base_dir/.wq-unpacked" ]; then
	private_apt_update
	debs="$WQ_CACHE/debs"
	mkdir -p "$debs"
	deb="$debs/linux-source-7.3_${base_version}_all.deb"
	if [ ! -f "$deb" ]; then
		log "fetching linux-source-7.3 $base_version"
		if ! fetch_deb linux-source-7.3 "$base_version" "$debs"; then
			die "linux-source-7.3 $base_version is gone; set WQ_BASE_VERSION to one listed above to override"
		fi
		[ -f "$deb" ] || mv "$debs/linux-source-7.3_${base_version//\~/%7e}_all.deb" "$deb"
	fi
	sum=$(sha256sum "$deb" | awk '{print $1}')
	if [ -z "${WQ_BASE_VERSION:-}" ]; then
		[ "$sum" = "$BASE_DEB_SHA256" ] ||
			die "$(basename "$deb"): sha256 $sum, expected $BASE_DEB_SHA256 (pins.sh)"
	else
		log "override WQ_BASE_VERSION=$base_version: sha256 $sum (not the pinned base)"
	fi
	log "unpacking the base"
	tmp=$(mktemp -d -p "$WQ_CACHE")
	dpkg -x "$deb" "$tmp"
	mkdir -p "$base_dir.tmp"
	tar -C "$base_dir.tmp" --strip-components=1 -xaf "$tmp"/usr/src/linux-source-7.3.tar.*
	rm -rf "$tmp" "$base_dir"
	mv "$base_dir.tmp" "$base_dir"
	touch "$base_dir/.wq-unpacked"
fi

if [ -n "$venv_pid" ]; then
	wait "$venv_pid" || die "virtme-ng $VIRTME_NG_VERSION did not install"
fi

cat >"$WQ_CACHE/env.sh" <<EOS
export PATH="$venv/bin:$HOME/.cargo/bin:\$PATH"
export RUST_LIB_SRC="$rust_src/usr/lib/rustlib/src/rust/library"
export LIBCLANG_PATH=/usr/lib/llvm-22/lib
export WQ_BASE_DIR="$base_dir"
EOS
log "ready: base in $base_dir"
