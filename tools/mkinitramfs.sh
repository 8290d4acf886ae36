#!/bin/sh
# mkinitramfs.sh - build keel's initramfs (a gzip-compressed cpio newc
# archive) from a staging directory.
#   mkinitramfs.sh STAGING OUTPUT [SRC:DEST ...]
# The staging directory is rebuilt from scratch: Debian's static
# busybox (/bin/busybox from busybox-static, copied, never rebuilt) with
# a symlink per applet, the empty directories a system expects, the
# tree under usr/initramfs/ (etc/passwd, group, hostname ...), then
# each SRC file copied to DEST, a path inside the archive
# (INITRAMFS_FILES in the Makefile, the format tools/mkcpio.py takes).
# Everything is archived as root:root, in sorted order, with no
# time stamps in the gzip header, so the same inputs give the same
# bytes.
set -eu

stage=$1
out=$2
shift 2
busybox=${BUSYBOX:-/bin/busybox}

[ -x "$busybox" ] || { echo "mkinitramfs: $busybox missing (make deps)" >&2; exit 1; }
rm -rf "$stage"
mkdir -p "$stage"
for d in bin sbin usr/bin usr/sbin etc dev proc sys tmp root; do
	mkdir -p "$stage/$d"
done
cp "$busybox" "$stage/bin/busybox"
# one symlink per applet, where busybox says it lives
"$busybox" --list-full | while read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	mkdir -p "$stage/$(dirname "$applet")"
	ln -sf /bin/busybox "$stage/$applet"
done
cp -R usr/initramfs/. "$stage/"
for pair in "$@"; do
	src=${pair%%:*}
	dest=${pair#*:}
	[ -f "$src" ] || { echo "mkinitramfs: $src missing" >&2; exit 1; }
	mkdir -p "$stage/$(dirname "$dest")"
	cp "$src" "$stage/$dest"
done
chmod 1777 "$stage/tmp"
chmod 0700 "$stage/root"
(cd "$stage" && find . | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "  INITRAMFS $out ($(wc -c < "$out") bytes, $(cd "$stage" && find . | wc -l) entries)"
