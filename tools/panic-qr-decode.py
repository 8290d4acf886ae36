#!/usr/bin/env python3
"""panic-qr-decode.py - turn keel's panic-screen QR code back into text.

  panic-qr-decode.py photo.png        read the code with zbarimg first
  panic-qr-decode.py 'https://...?z=01234...'   a decoded payload
  zbarimg -q --raw -Sdisable -Sqrcode.enable -Sbinary photo.png | panic-qr-decode.py -

The kernel log tail comes out on stdout. A plain-mode code (panic.qr=plain)
is the log text itself and is printed as it is. A compressed code
(panic.qr=zlib) is an optional URL followed by decimal digits: every 4
digits are 13 bits of a zlib stream, the last group of 1-4 digits holds
r bits where r is the one value in 1-3, 4-6, 7-9 or 10-13 (by its digit
count) that makes the total a multiple of 8 (docs/panic.md). The digits
are turned back into bytes and inflated with Python's zlib.
"""

import os
import re
import subprocess
import sys
import zlib

TAIL_RANGES = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 13)}


def digits_to_bytes(digits):
    """The bytes a string of decimal digits encodes (keel/Linux scheme)."""
    if not digits:
        return b""
    groups = (len(digits) - 1) // 4
    last = len(digits) - 4 * groups
    lo, hi = TAIL_RANGES[last]
    tail_bits = [r for r in range(lo, hi + 1) if (13 * groups + r) % 8 == 0]
    if not tail_bits:
        raise ValueError("%d digits cannot encode whole bytes" % len(digits))
    value, nbits = 0, 0
    for g in range(groups):
        chunk = int(digits[4 * g:4 * g + 4])
        if chunk >= 1 << 13:
            raise ValueError("digit group %d is over 13 bits" % chunk)
        value = value << 13 | chunk
        nbits += 13
    chunk = int(digits[4 * groups:])
    if chunk >= 1 << tail_bits[0]:
        raise ValueError("last digit group is too large")
    value = value << tail_bits[0] | chunk
    nbits += tail_bits[0]
    return value.to_bytes(nbits // 8, "big")


def split_payload(data):
    """(url, digits) of a compressed payload, or None if it is not one."""
    m = re.fullmatch(rb"(.*?)(\d+)", data, re.S)
    if not m:
        return None
    return m.group(1), m.group(2).decode()


def decode_payload(data):
    """Log text from a QR payload: inflate compressed ones, else as is."""
    parts = split_payload(data)
    if parts:
        try:
            return zlib.decompress(digits_to_bytes(parts[1]))
        except (ValueError, zlib.error):
            pass    # digits at the end of a plain log, by chance
    return data


# QR codes only: with every symbology on, zbarimg also "finds" 1D codes
# in the log text drawn beside the QR code (a GS1 DataBar was seen) and
# appends their digits to the QR code's bytes.
ZBARIMG = ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable",
           "-Sbinary"]


def read_image(path):
    p = subprocess.run(ZBARIMG + [path], capture_output=True)
    if p.returncode != 0:
        sys.exit("panic-qr-decode: zbarimg found no QR code in %s" % path)
    return p.stdout


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    arg = argv[1]
    if arg == "-":
        data = sys.stdin.buffer.read()
    elif os.path.exists(arg):
        data = read_image(arg)
    else:
        data = arg.encode()
    sys.stdout.buffer.write(decode_payload(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
