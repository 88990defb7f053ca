"""Read the text of a Chromium-printed PDF in tests (no PDF library is installed):
each page's content stream decoded through its fonts' ToUnicode maps, NFKC-normalised
(Noto CJK maps some characters to Kangxi radicals, 小 as ⼩)."""

import re
import unicodedata
import zlib


def pdf_text(data: bytes) -> str:
    """The text of a Chromium (Skia) PDF, decoded through each font's ToUnicode map."""
    objects = dict(re.findall(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S))

    def stream(num):
        body = objects[num]
        length = int(re.search(rb"/Length (\d+)", body).group(1))
        start = re.search(rb"stream\r?\n", body).end()
        raw = body[start : start + length]
        return zlib.decompressobj().decompress(raw) if b"FlateDecode" in body else raw

    def to_unicode(num):
        table, text = {}, stream(num)
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                start = int(dst, 16)
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    table[code] = chr(start + offset)
        return table

    fonts = {}
    for num, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if b"/Type /Font" in body and found:
            width = 2 if b"/Type0" in body else 1
            fonts[num] = (width, to_unicode(found.group(1)))
    out = []
    for body in objects.values():
        if not re.search(rb"/Type /Page\b(?!s)", body):
            continue
        names = dict(re.findall(rb"/(F\d+) (\d+) 0 R", body))
        contents = re.findall(rb"/Contents (\d+) 0 R", body)
        for num in contents:
            width, table = 1, {}
            for token in re.finditer(
                rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|\((?:[^()\\]|\\.)*\)", stream(num)
            ):
                if token.group(1):
                    width, table = fonts.get(names.get(token.group(1)), (1, {}))
                elif token.group(2) is not None:
                    raw = bytes.fromhex(token.group(2).decode())
                    for i in range(0, len(raw) - width + 1, width):
                        out.append(
                            table.get(int.from_bytes(raw[i : i + width], "big"), "")
                        )
            out.append("\n")
    return unicodedata.normalize("NFKC", "".join(out))


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))
