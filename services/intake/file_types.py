"""What may be uploaded, judged by the file's content and not only by what the caller says.

A station receives specifications, drawings, photos, test requests and spreadsheets. Anything
else (HTML, SVG, scripts, executables, archives) could be served back to someone's browser or
opened on a specialist's machine, so it is refused: the declared media type must be one of the
list below, and the bytes must be what that type's files begin with. Text must be UTF-8 without
NUL bytes and must not open like markup a browser would render.

File names keep what a person wrote, in any script, but not what could disguise a file: control
characters, bidirectional overrides (``report\u202efdp.exe`` shows as ``reportexe.pdf``),
separators of paths, or a name of only dots.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from typing import BinaryIO

from shared.errors import Invalid, Unsupported
from shared.field_messages import said

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/"}
_MAGIC = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff",
          "application/msword": _OLE, "application/vnd.ms-excel": _OLE}
_TEXT = ("text/plain", "text/csv")
CHUNK = 64 * 1024
ALLOWED = (*_MAGIC, *_OOXML, *_TEXT)
#: What a browser would take for markup, at the start of a text file (after blanks and a BOM).
_MARKUP = re.compile(rb"\s*(\xef\xbb\xbf)?\s*<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|"
                     rb"object|embed|meta|a\s|img\s|style)", re.IGNORECASE)
#: Bidirectional embeddings, overrides and isolates; zero-width and invisible marks.
_DISGUISING = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
                  "\u200b\u200c\u200d\u2060\ufeff")


def essence(media_type: str) -> str:
    """``text/csv; charset=utf-8`` -> ``text/csv``."""
    return media_type.split(";", 1)[0].strip().lower()


def check_content(media_type: str, content: BinaryIO) -> str:
    """The declared type's essence, if the type is allowed and the file (read from its start,
    a chunk at a time) is of that type."""
    kind = essence(media_type)
    if kind not in ALLOWED:
        raise Unsupported("不接受此类文件：请上传 PDF、图片（PNG、JPEG）、Word、Excel、PowerPoint 或文本文件",
                          {"content_type": kind, "allowed": list(ALLOWED)})
    if not _is(kind, content):
        raise Invalid(f"文件内容不是所声明的类型 {kind}", {"body": [said("upload_content", kind=kind)]})
    return kind


def _is(kind: str, content: BinaryIO) -> bool:
    if kind in _MAGIC:
        return content.read(len(_MAGIC[kind])) == _MAGIC[kind]
    if kind in _OOXML:
        try:
            with zipfile.ZipFile(content) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return False
        return "[Content_Types].xml" in names and any(n.startswith(_OOXML[kind]) for n in names)
    if _MARKUP.match(content.read(512)):
        return False
    content.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := content.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def safe_name(name: str) -> str:
    """The name as kept (NFC), or Invalid naming what is wrong with it."""
    name = unicodedata.normalize("NFC", name)
    problem = None
    if not name.strip() or name.strip(". ") == "":
        problem = said("file_name_missing")
    elif len(name) > 255:
        problem = said("file_name_long")
    elif any(c in "/\\" for c in name):
        problem = said("file_name_slash")
    elif any(unicodedata.category(c) in ("Cc", "Cs", "Co") for c in name):
        problem = said("file_name_control")
    elif any(c in _DISGUISING for c in name):
        problem = said("file_name_invisible")
    if problem:
        raise Invalid(f"文件名不可用：{problem.in_language('zh-CN')}", {"name": [problem]})
    return name
