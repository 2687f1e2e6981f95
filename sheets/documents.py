"""Uploaded documents (report attachments, spot-check evidence): checked by type, content and size.

The extension must be one of the allowed kinds, the first bytes must be that kind's signature (an .exe
renamed .jpg is refused), an Office file must be a real Office archive, and the size is bounded before
anything is stored.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# extension -> (content type, leading bytes, a member a genuine Office archive holds)
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",), None),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",), None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",),
             "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",),
             "xl/workbook.xml"),
}
KIND_NAMES = {"pdf": "PDF", "jpg": "JPG", "jpeg": "JPG", "png": "PNG", "docx": "Word（.docx）", "xlsx": "Excel（.xlsx）"}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_office_archive(uploaded_file, member: str, max_bytes: int) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(uploaded_file.read(max_bytes + 1))) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        uploaded_file.seek(0)


def _kinds_text(allowed) -> str:
    return "、".join(dict.fromkeys(KIND_NAMES[ext] for ext in allowed))


def validate_document(uploaded_file, *, allowed=tuple(FILE_TYPES), max_bytes: int = MAX_DOCUMENT_BYTES,
                      what: str = "附件") -> tuple[str, str]:
    """Return (extension, content type) or raise ValidationError saying what is wrong and what to do."""
    name = getattr(uploaded_file, "name", "") or ""
    ext = _extension(name)
    if ext not in FILE_TYPES or ext not in allowed:
        raise ValidationError(f"文件“{name[:100]}”格式不支持：请上传 {_kinds_text(allowed)} 文件。")
    size = getattr(uploaded_file, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError(
            f"文件“{name[:100]}”过大：单个{what}不能超过 {max_bytes // 1024 // 1024} MB，请压缩或拆分后上传。"
        )
    content_type, signatures, member = FILE_TYPES[ext]
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    genuine = head.startswith(signatures) and (member is None or _is_office_archive(uploaded_file, member, max_bytes))
    if not genuine:
        raise ValidationError(f"文件“{name[:100]}”的内容与扩展名 .{ext} 不符或已损坏，请用原软件重新导出后上传。")
    return ext, content_type
