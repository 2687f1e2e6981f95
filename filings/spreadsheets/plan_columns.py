"""The columns of the plan upload template (one plan per row), shared by the template and the import."""

from __future__ import annotations

from dataclasses import dataclass

from filings.models import Mode, Subject


@dataclass(frozen=True)
class Column:
    field: str  # TrainingPlan field, or "teachers"
    header: str
    label: str  # the short name used in error messages
    hint: str
    required: bool = True


TEACHERS_HEADER = "师资（姓名/职称/单位，多人用分号分隔）"

COLUMNS = [
    Column("title", "培训名称", "培训名称", "不超过120字"),
    Column("subject", "科目类别", "科目类别", "下拉选择：公需科目/专业科目"),
    Column("mode", "培训方式", "培训方式", "下拉选择：面授/网络/线上+线下"),
    Column("starts_at", "开始时间", "开始时间", "如 2026-04-01 09:00"),
    Column("ends_at", "结束时间", "结束时间", "如 2026-04-03 17:00，须晚于开始时间"),
    Column("place", "培训地点或平台", "培训地点或平台", "面授填地点，网络培训填平台名称"),
    Column("content", "培训内容", "培训内容", "主要课程或专题"),
    Column("trainee_scope", "培训人员范围", "培训人员范围", "如 全市卫生系统专业技术人员"),
    Column("planned_headcount", "计划人数", "计划人数", "正整数"),
    Column("hours", "每人学时", "每人学时", "正整数，每天最多8学时"),
    Column("fee", "收费标准", "收费标准", "元/人，不收费填0或留空", required=False),
    Column("contact_person", "联系人", "联系人", ""),
    Column("contact_phone", "联系电话", "联系电话", ""),
    Column("credit_year", "学时计入年度", "学时计入年度", "补学培训填往年年度，其余留空", required=False),
    Column("teachers", TEACHERS_HEADER, "师资", "如 张三/教授/内蒙古大学；李四/副主任医师/赤峰市医院",
           required=False),
]

BY_FIELD = {c.field: c for c in COLUMNS}
INSTRUCTIONS_MARK = "填写说明"
FIRST_DATA_ROW = 3  # row 1: headers; row 2: instructions
MAX_DATA_ROWS = 1000

SUBJECT_BY_LABEL = {label: value for value, label in Subject.choices} | {"公需": Subject.PUBLIC, "专业": Subject.PROFESSIONAL}
MODE_BY_LABEL = {label: value for value, label in Mode.choices} | {"线上线下": Mode.MIXED, "混合": Mode.MIXED}
