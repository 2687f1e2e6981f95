"""Run a parser in a child process under a memory (and CPU) limit, the way a worker would meet a hostile file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRELUDE = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
from django.core.exceptions import ValidationError
content = open(sys.argv[1], "rb").read()
"""


def run_limited(body: str, content: bytes, tmp_path: Path, *, memory_mb: int = 700,
                cpu_seconds: int = 20) -> subprocess.CompletedProcess:
    """`body` sees `content` (the file's bytes) and `ValidationError`; it should print the refusal."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(content)
    code = PRELUDE.format(memory=memory_mb * 1024 * 1024, cpu=cpu_seconds) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=cpu_seconds * 6)


def sparse_workbook(cells: dict[str, str], *, dimension: str | None = None,
                    rewrite: tuple[bytes, bytes] | None = None) -> bytes:
    """A tiny .xlsx with only the given cells (e.g. A1 and XFD3000); optionally a forged <dimension>, or the
    sheet's XML rewritten (`rewrite`: what to replace, once, and by what)."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    if dimension is None and rewrite is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and dimension is not None:
                start = data.index(b'<dimension ref="') + len(b'<dimension ref="')
                data = data[:start] + dimension.encode() + data[data.index(b'"', start):]
            if info.filename == "xl/worksheets/sheet1.xml" and rewrite is not None:
                assert rewrite[0] in data
                data = data.replace(*rewrite, 1)
            target.writestr(info.filename, data)
    return out.getvalue()
