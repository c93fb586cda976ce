"""Small but real receipt files for seeded vouchers and the PDF view of uploaded XML e-invoices."""

from __future__ import annotations

import struct
import zlib

from fpdf import FPDF


def receipt_pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_compression(True)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in lines:
        pdf.cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_png(width: int = 64, height: int = 48, shade: int = 200) -> bytes:
    """An uncompressed-looking greyscale "scan": a light page with a few dark text bars."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type none
        for x in range(width):
            bar = 8 <= x < width - 8 and y % 8 in (2, 3) and y > 6
            row.append(60 if bar else shade)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
