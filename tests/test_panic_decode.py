"""Self-tests of tools/panic-qr-decode.py: digits back to bytes and zlib
streams back to text, against an independent encoder of the scheme."""

import importlib.util
import os
import random
import shutil
import unittest
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "panic_qr_decode", os.path.join(ROOT, "tools", "panic-qr-decode.py"))
decode = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(decode)


def encode_digits(data):
    """13 bits -> 4 digits; a last group of r bits -> ceil(r/3) digits."""
    bits = "".join("{:08b}".format(b) for b in data)
    out = []
    for i in range(0, len(bits), 13):
        chunk = bits[i:i + 13]
        width = 4 if len(chunk) == 13 else (len(chunk) + 2) // 3
        out.append("{:0{}d}".format(int(chunk, 2), width))
    return "".join(out)


class DigitsTest(unittest.TestCase):
    def test_known(self):
        self.assertEqual(encode_digits(b"\xff\xff"), "81917")
        self.assertEqual(decode.digits_to_bytes("81917"), b"\xff\xff")
        self.assertEqual(decode.digits_to_bytes(""), b"")

    def test_round_trip_every_length(self):
        rng = random.Random(1)
        for n in range(0, 300):
            data = bytes(rng.randrange(256) for _ in range(n))
            self.assertEqual(decode.digits_to_bytes(encode_digits(data)), data)

    def test_bad_digits_are_refused(self):
        with self.assertRaises(ValueError):
            decode.digits_to_bytes("9999")     # over 13 bits


class PayloadTest(unittest.TestCase):
    def test_url_and_zlib(self):
        log = b"[    0.000000] keel 0.1 booting\n" * 50
        payload = b"https://example.org/p?z=" + \
            encode_digits(zlib.compress(log)).encode()
        self.assertEqual(decode.decode_payload(payload), log)

    def test_plain_text_passes_through(self):
        self.assertEqual(decode.decode_payload(b"plain log 123"),
                         b"plain log 123")


@unittest.skipUnless(shutil.which("zbarimg"), "zbarimg not installed")
class ImageTest(unittest.TestCase):
    def test_only_the_qr_code_is_read(self):
        """A screendump whose log text zbarimg also took for a GS1 DataBar
        (it appended "0110345659211580" to the QR code's 2953 bytes when
        every symbology was on): only the QR code's bytes come back."""
        png = os.path.join(ROOT, "tests", "fixtures",
                           "panic-screen-databar.png")
        data = decode.read_image(png)
        self.assertEqual(len(data), 2953)
        self.assertTrue(data.endswith(b"requested from the monitor ]---\n"))


if __name__ == "__main__":
    unittest.main()
