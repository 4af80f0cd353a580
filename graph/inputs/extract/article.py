"""Read an article file for ``chainkg extract``: any common Chinese encoding, or one clear line saying why not.

UTF-8 (with or without a byte-order mark) and UTF-16 are read directly; other encodings (GBK, GB18030, Big5 …) are
detected with charset-normalizer (https://github.com/jawah/charset_normalizer, MIT), which works offline. Empty
files, binary files and files too large to be one report are refused with a message naming the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from graph.errors import GraphError

__all__ = ["ArticleError", "MAX_BYTES", "read_article", "decode_article"]

# An article is a report, not a book: 1 MB is over 300,000 Chinese characters in UTF-8 (a long government work
# report is ~100 KB), which extract reads in seconds (docs/extraction.md has the measured times); a larger file
# is many reports in one.
MAX_BYTES = 1_000_000
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class ArticleError(GraphError):
    """An article file that cannot be read as text."""


def _too_large(size: int, where: str) -> ArticleError:
    return ArticleError(
        f"{where}: {size / 1e6:.1f} MB is more than one article (at most {MAX_BYTES / 1e6:g} MB, over 300,000 "
        "characters); split it into its reports 文件过大,请按篇拆分"
    )


def _cjk_share(text: str) -> float:
    """The share of Chinese characters among the characters that are not ASCII."""
    wide = sum(1 for ch in text if ord(ch) > 127)
    return len(_CJK.findall(text)) / wide if wide else 1.0


def _utf16(data: bytes) -> str | None:
    """UTF-16 with a byte-order mark, or without one when the bytes hold zeros (ASCII) and read as Chinese."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if len(data) % 2 or b"\x00" not in data:
        return None
    for codec in (
        "utf-16-le",
        "utf-16-be",
    ):  # no mark: the order whose text is Chinese, without control codes
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _cjk_share(text) > 0.8 and not re.search(r"[\x00-\x08\x0e-\x1f]", text):
            return text
    return None


def decode_article(data: bytes, where: str = "<article>") -> tuple[str, str]:
    """Decode an article's bytes; return (text, encoding name).

    Raises:
        ArticleError: empty, binary, too large, or in no encoding that gives Chinese text.

    Example:
        >>> decode_article("总投资5亿元".encode("gbk"), "a.txt")
        ('总投资5亿元', 'gb18030')
    """
    if len(data) > MAX_BYTES:
        raise _too_large(len(data), where)
    if not data.strip():
        raise ArticleError(f"{where}: the article is empty; nothing to extract 文章为空")
    text = _utf16(data)
    if text is not None:
        return text.lstrip("\ufeff"), "utf-16"
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise ArticleError(
            f"{where}: not text (a zero byte at byte {at}); give the article as a .txt file 不是文本文件"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried = []
    best = from_bytes(data).best() if len(data) >= 64 else None  # a few bytes fool any detector: GB first
    names = [best.encoding] if best is not None else []
    for name in [*names, "gb18030", "big5"]:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        tried.append(name)
        if _cjk_share(text) > 0.8 and not re.search(r"[\x00-\x08\x0e-\x1f]", text):
            return text, "gb18030" if name in ("gb2312", "gbk") else name
    raise ArticleError(
        f"{where}: not UTF-8, UTF-16, GBK/GB18030 or Big5 Chinese text ({', '.join(tried) or 'no encoding'} tried); "
        "save it as UTF-8 请另存为 UTF-8"
    )


def read_article(path: Path) -> tuple[str, str]:
    """Read and decode an article file; see :func:`decode_article`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(size, str(path))  # without reading 20 MB first
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(f"{path}: cannot read ({err.strerror})") from err
    return decode_article(data, str(path))
