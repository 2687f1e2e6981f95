"""The roster's columns and where its rows sit in the workbook."""

from __future__ import annotations

from dataclasses import dataclass

from sheets.guard import WorkbookLimits


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    max_length: int
    hint: str


COLUMNS = [
    Column("seq", "序号", False, 0, "按顺序编号，与签到表、照片顺序一致"),
    Column("name", "姓名", True, 40, ""),
    Column("sex", "性别", True, 1, "从下拉列表选择：男 或 女，须与身份证号码一致"),
    Column("id_number", "身份证号码", True, 18, "18位，本列已设为文本格式，请勿改为数值；末位X请用大写"),
    Column("employer", "工作单位", True, 100, ""),
    Column("specialty", "现从事专业", True, 60, ""),
    Column("title", "专业技术职务", True, 60, "如：主治医师、中学一级教师"),
    Column("subject", "科目类别", True, 20, "从下拉列表选择，须与备案计划一致"),
    Column("hours", "学时", True, 0, "正整数，不超过计划每人学时"),
    Column("phone", "联系电话", True, 20, ""),
    Column("note", "备注", False, 200, ""),
    Column("exam", "考试结果", False, 3, "公需科目须考试合格后取得学时的地区填写：合格 或 不合格；其他可不填"),
]
EXAM_LABELS = {"合格": True, "不合格": False}
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}

TITLE = "专业技术人员继续教育培训花名册"
PLAN_LABEL = "备案编号："
INSTRUCTIONS_MARK = "填写说明"
HEADER_ROW = 3
INSTRUCTIONS_ROW = 4
FIRST_DATA_ROW = 5
MAX_DATA_ROWS = 200_000
SEX_LABELS = {"男": "M", "女": "F"}
SEX_TEXT = {"M": "男", "F": "女"}
# What a roster upload may contain (sheets.guard): the template's 11 columns with room for a user's own.
ROSTER_LIMITS = WorkbookLimits(
    label="花名册", max_bytes=20 * 1024 * 1024, max_uncompressed_bytes=150 * 1024 * 1024, max_members=500,
    max_rows=FIRST_DATA_ROW + MAX_DATA_ROWS, max_columns=40, max_area=4_000_000, max_cells=4_000_000,
)
MAX_FILE_BYTES = ROSTER_LIMITS.max_bytes
