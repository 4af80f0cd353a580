"""Read an article file for ``chainkg extract``: any common Chinese encoding, or one clear line saying why not.

The encoding is found as for CSV imports (:mod:`graph.inputs.charset`: UTF-8, UTF-16, GB18030/GBK, Big5). Empty
files, binary files and files too large to be one report are refused with a message naming the file.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import GraphError
from graph.inputs.charset import UnknownEncoding, decode_chinese

__all__ = ["ArticleError", "MAX_BYTES", "read_article", "decode_article"]

# An article is a report, not a book: 1 MB is over 300,000 Chinese characters in UTF-8 (a long government work
# report is ~100 KB), which extract reads in seconds (docs/extraction.md has the measured times); a larger file
# is many reports in one.
MAX_BYTES = 1_000_000


class ArticleError(GraphError):
    """An article file that cannot be read as text."""


def _too_large(size: int, where: str) -> ArticleError:
    return ArticleError(
        f"{where}: {size / 1e6:.1f} MB is more than one article (at most {MAX_BYTES / 1e6:g} MB, over 300,000 "
        "characters); split it into its reports 文件过大,请按篇拆分"
    )


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
    try:
        return decode_chinese(data)
    except UnknownEncoding as err:
        if err.zero_at is not None:
            raise ArticleError(
                f"{where}: not text (a zero byte at byte {err.zero_at}); give the article as a .txt file 不是文本文件"
            ) from None
        raise ArticleError(
            f"{where}: not UTF-8, UTF-16, GBK/GB18030 or Big5 Chinese text ({_why(err)}); save it as UTF-8 "
            "请另存为 UTF-8"
        ) from None


def _why(err: UnknownEncoding) -> str:
    if err.tried:
        return f"{' and '.join(err.tried)} decode it, but not as Chinese"
    return "no encoding decodes it"


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
