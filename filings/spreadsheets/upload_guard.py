"""Open an uploaded .xlsx only after checking it cannot exhaust memory or disk (zip bombs)."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 200
MAX_RATIO = 200  # honest spreadsheets compress about 10:1


def _read_upload(file) -> bytes:
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError("文件格式不正确：请上传 Excel 2007 及以上版本的 .xlsx 文件（不支持 .xls、.csv、.et）。")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件过大：上传文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    content = file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件过大：上传文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    return content


def _check_archive(content: bytes) -> None:
    unreadable = ValidationError("无法读取该文件：它不是有效的 .xlsx 文件或已损坏，请用导入模板重新填写后另存为 .xlsx。")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable from error
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise unreadable
    total = sum(m.file_size for m in members)
    too_dense = any(m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or too_dense:
        raise ValidationError("文件内容异常：解压后体积过大，系统拒绝读取。请使用导入模板重新填写，不要嵌入图片或大量空白格式。")


def open_uploaded_workbook(file):
    """Return a read-only workbook, or raise ValidationError with a message the uploader can act on."""
    content = _read_upload(file)
    _check_archive(content)
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        raise ValidationError("无法读取该文件：工作簿内容已损坏或不是 Excel 工作簿，请用导入模板重新填写。") from error
