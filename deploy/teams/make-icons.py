#!/usr/bin/env python3
"""Draws the two Teams app icons (a target: objectives you aim at) as PNG files.

Teams wants color.png (192x192, full colour) and outline.png (32x32, white on transparent).
Written with zlib and struct only, so it runs anywhere python3 does; run it from this folder
to redraw the icons after changing a colour: ./make-icons.py
"""
import math
import struct
import zlib

BACKGROUND = (0x2F, 0x48, 0x58, 0xFF)  # the manifest's accentColor
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
ACCENT = (0xF6, 0xAE, 0x2D, 0xFF)
CLEAR = (0, 0, 0, 0)


def png(width, height, pixel):
    """PNG bytes of an RGBA image whose colour at (x, y) is pixel(x, y)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def target(size, rings, centre_colour, ring_colour, outside):
    """A bullseye: `rings` is a list of (outer radius, inner radius) as fractions of size."""
    mid = (size - 1) / 2

    def pixel(x, y):
        r = math.hypot(x - mid, y - mid) / size
        if r <= 0.08:
            return centre_colour
        for outer, inner in rings:
            if inner <= r <= outer:
                return ring_colour
        return outside
    return pixel


def main():
    rings = [(0.40, 0.33), (0.25, 0.18)]
    with open("color.png", "wb") as out:
        out.write(png(192, 192, target(192, rings, ACCENT, WHITE, BACKGROUND)))
    with open("outline.png", "wb") as out:
        out.write(png(32, 32, target(32, [(0.47, 0.36), (0.27, 0.17)], WHITE, WHITE, CLEAR)))


if __name__ == "__main__":
    main()
