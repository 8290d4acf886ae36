#!/bin/sh
# deps.sh - make sure the Debian packages keel needs are installed.
#   deps.sh check     exit 0 if everything is present, 1 otherwise
#   deps.sh install   apt-get install what is missing (as root), or print
#                     the command to run and fail
set -eu

# What proves each package is installed: a command on PATH, or (for an
# entry starting with /) a file, shell globs allowed. The Rust tools are
# called by absolute path (/usr/bin/...), never through a rustup
# toolchain that may come first in PATH.
rustv=$(/usr/bin/rustc --version 2>/dev/null | cut -d' ' -f2)
NEEDS="gcc:gcc ld:binutils make:make python3:python3 \
qemu-system-x86_64:qemu-system-x86 clang-format:clang-format \
clang-tidy:clang-tidy \
/usr/bin/rustc:rustc-web \
/usr/src/rustc-${rustv:-*}/library/core/src/lib.rs:rust-web-src \
/usr/bin/bindgen:bindgen \
/usr/lib/llvm-*/lib/libclang.so:libclang-dev \
/usr/bin/clippy-driver:rust-web-clippy \
/usr/bin/rustfmt:rustfmt-web \
/usr/bin/rust-analyzer:rust-web-analyzer \
zbarimg:zbar-tools gdb:gdb \
/usr/lib/rustlib/etc/gdb_load_rust_pretty_printers.py:rust-web-gdb \
/bin/busybox:busybox-static cpio:cpio \
musl-gcc:musl-tools \
/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev \
/usr/src/linux-source-6.1.tar.xz:linux-source-6.1"

# present PROOF: the file (first glob match) or the command exists
present() {
	case "$1" in
	/*)
		set +f
		set -- $1
		set -f
		[ -e "$1" ]
		;;
	*)
		command -v "$1" >/dev/null 2>&1
		;;
	esac
}

set -f	# NEEDS holds globs: expand them only in present()
missing=""
for pair in $NEEDS; do
	proof=${pair%%:*}
	pkg=${pair#*:}
	present "$proof" || missing="$missing $pkg"
done

case "${1:-check}" in
check)
	[ -z "$missing" ] && exit 0
	echo "deps: missing packages:$missing"
	exit 1
	;;
install)
	[ -z "$missing" ] && { echo "deps: all present"; exit 0; }
	if [ "$(id -u)" != 0 ]; then
		echo "deps: run as root: apt-get update && apt-get install -y$missing"
		exit 1
	fi
	echo "deps: installing$missing"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
	;;
*)
	echo "usage: $0 check|install" >&2
	exit 2
	;;
esac
