#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the committed icons from resources/icons/cachewise.svg: the hicolor PNG sizes, the Windows
# .ico and the macOS .icns (both hold PNG entries). Needs rsvg-convert (Debian: librsvg2-bin); the build
# does not run this.
import pathlib
import struct
import subprocess

icons = pathlib.Path(__file__).resolve().parent.parent / "resources" / "icons"
sizes = [16, 24, 32, 48, 64, 128, 256, 512]
(icons / "png").mkdir(exist_ok=True)
for n in sizes:
    subprocess.run(["rsvg-convert", "-w", str(n), "-h", str(n), str(icons / "cachewise.svg"),
                    "-o", str(icons / "png" / f"cachewise-{n}.png")], check=True)


def png(n):
    return (icons / "png" / f"cachewise-{n}.png").read_bytes()


ico_sizes = [16, 24, 32, 48, 64, 128, 256]
offset = 6 + 16 * len(ico_sizes)
directory, data = b"", b""
for n in ico_sizes:
    entry = png(n)
    directory += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(entry), offset + len(data))
    data += entry
(icons / "cachewise.ico").write_bytes(struct.pack("<HHH", 0, 1, len(ico_sizes)) + directory + data)

chunks = [(b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic13", 256), (b"ic08", 256), (b"ic14", 512),
          (b"ic09", 512)]
body = b"".join(kind + struct.pack(">I", 8 + len(png(n))) + png(n) for kind, n in chunks)
(icons / "cachewise.icns").write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)
