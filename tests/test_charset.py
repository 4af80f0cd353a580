"""One rule reads the encodings of articles and CSV sheets (graph.inputs.charset): the same answer from both callers,
and GBK preferred where the bytes also read as Big5, measured on the shared corpus where it is present."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from graph.errors import SeedError
from graph.inputs.charset import UnknownEncoding, decode_chinese, looks_chinese
from graph.inputs.extract.article import ArticleError, decode_article
from graph.inputs.workbook.read import decode_csv

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "articles"
TEXT = "上饶经开区（光伏）“晶科能源”年产10GW组件项目——投资约50亿元，①已投产。"


@pytest.mark.parametrize(
    "encoding, name",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16"),
        ("utf-16-be", "utf-16"),
    ],
)
def test_articles_and_csv_read_the_same(encoding, name):
    data = TEXT.encode(encoding)
    assert decode_chinese(data) == (TEXT, name)
    assert decode_article(data) == (TEXT, name)
    assert decode_csv(Path("list.csv"), data) == TEXT


def test_big5_where_its_reading_is_the_better_one():
    text = "鴻海精密工業股份有限公司年產電池模組，台灣新北市土城區。"
    assert decode_chinese(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize("short", ["甲，乙。", "电芯", "正极材料"])
def test_short_gbk_is_gbk_and_punctuation_counts_as_chinese(short):
    """A few GBK bytes also read as Big5; the detector alone picked Big5 for most 8-character snippets."""
    assert decode_chinese(short.encode("gbk")) == (short, "gb18030")


def test_refusals_name_the_reason():
    with pytest.raises(UnknownEncoding) as zero:
        decode_chinese(b"abc\x00\x01\x02")
    assert zero.value.zero_at == 3
    with pytest.raises(UnknownEncoding) as latin:
        decode_chinese("café crème, naïve".encode("latin-1"))
    assert latin.value.zero_at is None
    with pytest.raises(ArticleError, match=r"a\.txt: not UTF-8.*save it as UTF-8"):
        decode_article("café crème, naïve".encode("latin-1"), "a.txt")
    with pytest.raises(SeedError, match=r"list\.csv: 无法识别的文字编码.*a zero byte at byte 3: not text"):
        decode_csv(Path("list.csv"), b"abc\x00\x01\x02")


def test_looks_chinese():
    assert looks_chinese(TEXT) and looks_chinese("ascii only")
    assert not looks_chinese("Grüße aus München") and not looks_chinese("甲\x07乙")


def test_bom_is_not_part_of_the_text():
    assert decode_chinese(codecs.BOM_UTF16_LE + "电芯".encode("utf-16-le")) == ("电芯", "utf-16")
    assert decode_chinese(codecs.BOM_UTF8 + "电芯".encode()) == ("电芯", "utf-8")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_corpus_snippets_read_back(encoding):
    """Snippets of the twelve real reports (8, 32 and 200 characters) saved as GBK or Big5 read back as written.

    Big5 cannot hold simplified characters; they are dropped, which makes these Big5 texts harder than real ones.
    Measured when this rule was written (docs/safety.md): 3 of 479 GBK snippets and 1 of 479 Big5 ones read wrong,
    all of 8 characters; the rule articles used before got 15 and 40 wrong, the one CSV sheets used 138 and 15.
    """
    wrong = total = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for size in (8, 32, 200):
            for start in range(0, len(text) - size, max(1, len(text) // 15)):
                data = text[start : start + size].encode(encoding, errors="ignore")
                try:
                    data.decode("utf-8")
                    continue  # ASCII only: nothing to tell apart
                except UnicodeDecodeError:
                    pass
                total += 1
                wrong += decode_chinese(data)[0] != data.decode(encoding)
    assert total > 300
    assert wrong / total < 0.01
