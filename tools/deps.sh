#!/bin/sh
# deps.sh - make sure the Debian packages keel needs are installed.
#   deps.sh check     exit 0 if everything is present, 1 otherwise
#   deps.sh install   apt-get install what is missing (as root), or print
#                     the command to run and fail
set -eu

# command:package pairs
NEEDS="gcc:gcc ld:binutils make:make python3:python3 \
qemu-system-x86_64:qemu-system-x86 clang-format:clang-format \
zbarimg:zbar-tools"

missing=""
for pair in $NEEDS; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
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
