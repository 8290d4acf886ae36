#!/usr/bin/env python3
"""mkcpio.py - write a cpio "newc" archive (the initramfs format).

    mkcpio.py OUT NAME=HOSTFILE...

Each NAME (e.g. init, bin/hello) becomes a regular file with HOSTFILE's
bytes and mode; the directories above it are added first. Python's
standard library only; the archive is uncompressed (gzip it if wanted).
"""
import os
import sys


def member(name, mode, data=b"", ino=1):
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(namez), 0]
    hdr = b"070701" + b"".join(b"%08x" % f for f in fields)
    out = hdr + namez
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out, specs = argv[0], argv[1:]
    blob, dirs, ino = b"", set(), 1
    for spec in specs:
        name, path = spec.split("=", 1)
        name = name.strip("/")
        parts = name.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                ino += 1
                blob += member(d, 0o40755, ino=ino)
        with open(path, "rb") as f:
            data = f.read()
        ino += 1
        mode = 0o100000 | (os.stat(path).st_mode & 0o777)
        blob += member(name, mode, data, ino)
    blob += member("TRAILER!!!", 0, ino=0)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv[1:])
