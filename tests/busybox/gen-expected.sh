#!/bin/sh
# gen-expected.sh [NAME ...] - write tests/busybox/NAME.expected by
# running NAME.sh on the host with the same Debian busybox-static binary
# that make initramfs puts into keel's initramfs, under the conditions
# runner.c sets up inside keel: an empty working directory, stdin on
# /dev/null, stdout and stderr on one file, the environment
# PATH/HOME/LC_ALL only (PATH holds busybox's applets and nothing else),
# and the script run as sh -c "$(cat NAME.sh)" NAME. The last line is
# "exit STATUS". With no NAME, every script. The .expected files are
# checked in: run this when a script changes, and read the diff.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "gen-expected: $busybox missing (make deps)" >&2; exit 1; }

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for applet in $("$busybox" --list); do
	ln -s "$busybox" "$bin/$applet"
done

if [ $# -eq 0 ]; then
	set -- $(cd "$here" && ls *.sh | sed 's/\.sh$//' | grep -vx gen-expected)
fi
for name in "$@"; do
	work=$(mktemp -d)
	out="$here/$name.expected"
	status=0
	(cd "$work" && exec env -i PATH="$bin" HOME=/ LC_ALL=C \
		"$bin/sh" -c "$(cat "$here/$name.sh")" "$name") \
		</dev/null >"$out" 2>&1 || status=$?
	echo "exit $status" >>"$out"
	rm -rf "$work"
	echo "  $name: $(wc -l <"$out") lines, exit $status"
done
