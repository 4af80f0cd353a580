"""Decode the text a Chinese office saves: one rule for articles (``chainkg extract``) and CSV sheets (``import``).

In this order: UTF-16 (with a byte-order mark, or without one when the bytes hold zeros and read as Chinese); UTF-8
(with or without a mark); then GB18030 (a superset of GBK and GB2312, what Excel and Notepad save on mainland
Windows) and Big5 (Taiwan, Hong Kong). A reading is kept only if it decodes strictly and looks like Chinese text.
When both GB18030 and Big5 fit (every Big5 byte pair is also a GBK one), GB18030 wins unless charset-normalizer
(https://github.com/jawah/charset_normalizer, MIT, offline) finds the Big5 reading less chaotic: on short texts the
detector alone picks Big5 for most GBK bytes (docs/safety.md has the measurement), and a mainland zone's files
are GBK far more often.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["CANDIDATES", "UnknownEncoding", "decode_chinese", "looks_chinese"]

CANDIDATES = ("gb18030", "big5")  # the legacy encodings tried, in order of preference
_CHINESE = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff"  # ideographs
    r"\u3000-\u303f\uff00-\uffef"  # CJK and full-width punctuation: ，。、（）％
    r"\u2010-\u206f\u00b7\u00d7\u2460-\u24ff]"  # dashes, quotes, ellipsis, middle dot, ×, ①
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


class UnknownEncoding(ValueError):
    """Bytes that are not Chinese text in any encoding chainkg reads."""

    def __init__(self, tried: tuple[str, ...], zero_at: int | None = None) -> None:
        self.tried = tried  # encodings that decoded but did not give Chinese text
        self.zero_at = zero_at  # offset of a zero byte: a binary file, not text
        super().__init__(f"zero byte at {zero_at}" if zero_at is not None else f"tried {', '.join(tried)}")


def looks_chinese(text: str) -> bool:
    """True if the text has no control codes and 80% of its characters beyond ASCII are Chinese script or punctuation.

    Example:
        >>> looks_chinese("甲，乙。"), looks_chinese("Straße"), looks_chinese("ab\\x01")
        (True, False, False)
    """
    if _CONTROL.search(text):
        return False
    wide = sum(1 for ch in text if ord(ch) > 127)
    return not wide or len(_CHINESE.findall(text)) / wide > 0.8


def _utf16(data: bytes) -> str | None:
    """UTF-16 with a byte-order mark, or without one when the bytes hold zeros (ASCII) and read as Chinese."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            return None
    if len(data) % 2 or b"\x00" not in data:
        return None
    for codec in ("utf-16-le", "utf-16-be"):  # no mark: the byte order whose text is Chinese
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_chinese(text):
            return text
    return None


def _prefers_big5(data: bytes) -> bool:
    """Whether charset-normalizer, choosing between the two candidates, finds the Big5 reading less chaotic."""
    from charset_normalizer import from_bytes  # its import takes 0.1 s; most files are UTF-8

    scores = {m.encoding: (m.chaos, -m.coherence) for m in from_bytes(data, cp_isolation=list(CANDIDATES))}
    return "big5" in scores and ("gb18030" not in scores or scores["big5"] < scores["gb18030"])


def decode_chinese(data: bytes) -> tuple[str, str]:
    """Decode bytes as Chinese text; return (text, the encoding's name).

    Raises:
        UnknownEncoding: a zero byte outside UTF-16, or no encoding that gives Chinese text.

    Example:
        >>> decode_chinese("总投资5亿元".encode("gbk"))
        ('总投资5亿元', 'gb18030')
        >>> decode_chinese("鴻海電池,電芯".encode("big5"))
        ('鴻海電池,電芯', 'big5')
    """
    text = _utf16(data)
    if text is not None:
        return text, "utf-16"
    if b"\x00" in data:
        raise UnknownEncoding((), zero_at=data.index(b"\x00"))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = {}
    for name in CANDIDATES:
        try:
            readings[name] = data.decode(name)
        except UnicodeDecodeError:
            continue
    tried = tuple(readings)
    readings = {name: text for name, text in readings.items() if looks_chinese(text)}
    if len(readings) == 2:
        name = "big5" if _prefers_big5(data) else "gb18030"
        return readings[name], name
    if not readings:
        raise UnknownEncoding(tried)
    name, text = next(iter(readings.items()))
    return text, name
