"""批量开通账号: organisers', reviewers', inspectors' and employer HR's accounts from a spreadsheet.

An administrator imports anywhere; an authority (a reviewer) only into its own subtree of the
jurisdiction. All or nothing: every row is checked first, and one bad row (named by row and column)
imports none. New accounts have no usable password: each gets a first-sign-in link (by email, else SMS)
and sets one. The authority can deactivate its own staff.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from access.models import AccountIdentity
from access.recovery import first_sign_in_link
from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from jurisdiction.models import Division, Organisation
from notifications import sms
from rules.idnumber import normalise_id_number, parse_normalised_id_number
from sheets.cells import append_row, plain_text
from sheets.guard import WorkbookLimits, check_workbook_bytes

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
LIMITS = WorkbookLimits(label="账号导入", max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 100, max_columns=50,
                        max_area=(MAX_ROWS + 100) * 50, max_cells=(MAX_ROWS + 100) * 50)
IMPORTABLE_ROLES = (Role.ORGANISER, Role.REVIEWER, Role.INSPECTOR, Role.EMPLOYER_HR)
ROLE_BY_LABEL = {Role(r).label: Role(r) for r in IMPORTABLE_ROLES}
KIND_BY_LABEL = {label: value for value, label in Organisation.Kind.choices}
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    hint: str


COLUMNS = (
    Column("用户名", "username", True, "3至150位字母、数字或 _ . @ + -，全系统唯一"),
    Column("姓名", "name", True, ""),
    Column("角色", "role", True, "、".join(ROLE_BY_LABEL)),
    Column("所属单位", "organisation", True, "单位全称；系统中没有的单位按“单位类别”新建"),
    Column("区划代码", "division", True, "单位所在行政区划的6位代码"),
    Column("单位类别", "kind", False, "新建单位时必填：" + "、".join(KIND_BY_LABEL)),
    Column("手机号码", "phone", False, "手机号码和电子邮箱至少填一项，首次登录链接发往这里"),
    Column("电子邮箱", "email", False, ""),
    Column("身份证号码", "id_number", False, "选填；填写后可用政务服务统一身份认证登录"),
)


class StaffImportError(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} 处错误")
        self.errors = errors


@dataclass
class StaffImportResult:
    users: list[User] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)


def may_import(user: User) -> bool:
    return user.has_role(Role.ADMIN) or (user.has_role(Role.REVIEWER) and user.organisation_id is not None)


def _in_scope(actor: User, division: Division) -> bool:
    return actor.role == Role.ADMIN or division.path.startswith(actor.organisation.division.path)


def template_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "账号"
    append_row(ws, [c.header for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = 18
        ws.column_dimensions[cell.column_letter].number_format = "@"
    roles = DataValidation(type="list", formula1='"' + ",".join(ROLE_BY_LABEL) + '"', allow_blank=False)
    ws.add_data_validation(roles)
    roles.add("C2:C5001")
    notes = wb.create_sheet("填写说明")
    append_row(notes, ["列", "必填", "说明"])
    for c in COLUMNS:
        append_row(notes, [c.header, "是" if c.required else "否", c.hint])
    append_row(notes, [])
    append_row(notes, ["提示", "", "请将所有单元格设为文本格式；任何一行有错误时整张表都不会导入。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """(row number, {key: text}) for every non-empty row; StaffImportError for an unreadable file."""
    if len(content) > MAX_BYTES:
        raise StaffImportError([{"row": 0, "column": "", "message": "文件过大：不能超过 5 MB，请拆分后分批导入。"}])
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise StaffImportError([{"row": 0, "column": "", "message": "文件不是 .xlsx 工作簿，请用模板填写后另存为 .xlsx。"}])
    try:
        check_workbook_bytes(content, LIMITS)  # bounds rows, columns and cells before openpyxl lays them out
    except ValidationError as problem:
        raise StaffImportError([{"row": 0, "column": "", "message": m} for m in problem.messages]) from None
    try:
        ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        lines = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise StaffImportError([{"row": 0, "column": "", "message": "无法读取该工作簿，请用模板重新填写。"}]) from None
    if not lines:
        raise StaffImportError([{"row": 1, "column": "", "message": "工作表是空的。"}])
    headers = [plain_text(v) for v in lines[0]]
    missing = [c.header for c in COLUMNS if c.header not in headers]
    if missing:
        raise StaffImportError([{"row": 1, "column": h, "message": f"缺少“{h}”列，请使用模板。"} for h in missing])
    if len(lines) > MAX_ROWS + 1:
        raise StaffImportError([{"row": 0, "column": "", "message": f"一次最多导入 {MAX_ROWS} 行，请拆分。"}])
    index = {c.key: headers.index(c.header) for c in COLUMNS}
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = {key: plain_text(line[i]) if i < len(line) else "" for key, i in index.items()}
        if any(values.values()):
            rows.append((number, values))
    return rows


def _check_row(actor: User, number: int, v: dict, seen: dict, orgs: dict) -> list[dict]:
    errors = []

    def err(column: str, message: str):
        errors.append({"row": number, "column": column, "message": message})

    for c in COLUMNS:
        if c.required and not v[c.key]:
            err(c.header, f"“{c.header}”不能为空。")
    if v["username"] and not USERNAME.match(v["username"]):
        err("用户名", "用户名只能包含3至150位字母、数字或 _ . @ + -。")
    elif v["username"]:
        lowered = v["username"].lower()
        if lowered in seen["username"]:
            err("用户名", f"与第 {seen['username'][lowered]} 行的用户名重复。")
        elif User.objects.filter(username__iexact=v["username"]).exists():
            err("用户名", f"用户名 {v['username']} 已被使用。")
        seen["username"].setdefault(lowered, number)
    if v["role"] and v["role"] not in ROLE_BY_LABEL:
        err("角色", f"角色“{v['role']}”无效，应为：{'、'.join(ROLE_BY_LABEL)}。")
    if v["phone"] and not sms.MOBILE.match(v["phone"]):
        err("手机号码", "手机号码应为11位大陆手机号。")
    if v["email"]:
        try:
            validate_email(v["email"])
        except Exception:
            err("电子邮箱", "电子邮箱格式不正确。")
    if not v["phone"] and not v["email"]:
        err("手机号码", "手机号码和电子邮箱至少填一项，以便发送首次登录链接。")
    if v["id_number"]:
        number_text = normalise_id_number(v["id_number"])
        try:
            parse_normalised_id_number(number_text)
        except ValueError as exc:
            err("身份证号码", str(exc))
        else:
            if number_text in seen["id_number"]:
                err("身份证号码", f"与第 {seen['id_number'][number_text]} 行的身份证号码重复。")
            elif AccountIdentity.objects.filter(id_number=number_text).exists():
                err("身份证号码", "该身份证号码已有账号。")
            seen["id_number"].setdefault(number_text, number)
            v["id_number"] = number_text
    errors += _check_organisation(actor, number, v, orgs)
    return errors


def _check_organisation(actor: User, number: int, v: dict, orgs: dict) -> list[dict]:
    if not v["division"] or not v["organisation"]:
        return []
    division = Division.objects.filter(code=v["division"]).first()
    if division is None:
        return [{"row": number, "column": "区划代码", "message": f"区划代码 {v['division']} 不存在。"}]
    if not _in_scope(actor, division):
        return [{"row": number, "column": "区划代码", "message": f"{division.name}不在本部门管辖范围内，不能为其开通账号。"}]
    existing = Organisation.objects.filter(name=v["organisation"]).select_related("division").first()
    if existing is not None:
        if existing.division_id != division.code:
            return [{"row": number, "column": "所属单位",
                     "message": f"单位“{existing.name}”已登记在{existing.division.name}，与区划代码 {division.code} 不符。"}]
        orgs[v["organisation"]] = existing
        return []
    planned = orgs.get(v["organisation"])
    if isinstance(planned, dict):
        if planned["division"] != division or (v["kind"] and KIND_BY_LABEL.get(v["kind"]) != planned["kind"]):
            return [{"row": number, "column": "所属单位", "message": "同一新单位在各行中的区划或类别不一致。"}]
        return []
    if v["kind"] not in KIND_BY_LABEL:
        return [{"row": number, "column": "单位类别",
                 "message": f"系统中没有单位“{v['organisation']}”；新建单位须填写有效的单位类别：{'、'.join(KIND_BY_LABEL)}。"}]
    orgs[v["organisation"]] = {"division": division, "kind": KIND_BY_LABEL[v["kind"]]}
    return []


def staff_import(*, actor: User, content: bytes, request=None) -> StaffImportResult:
    """1. scope; 2. read and check every row (StaffImportError with all errors); 3. in one transaction
    make the new organisations, the users (no usable password) and their ID numbers; 4. audit;
    5. after commit, send each a first-sign-in link."""
    if not may_import(actor):
        raise PermissionDenied("只有系统管理员和主管部门审核人员可以批量开通账号。")
    rows = read_rows(content)
    if not rows:
        raise StaffImportError([{"row": 2, "column": "", "message": "表中没有要导入的账号。"}])
    seen, orgs, errors = {"username": {}, "id_number": {}}, {}, []
    for number, values in rows:
        errors += _check_row(actor, number, values, seen, orgs)
    if errors:
        raise StaffImportError(errors)
    result = StaffImportResult()
    with transaction.atomic():
        for name, planned in orgs.items():
            if isinstance(planned, dict):
                org = Organisation.objects.create(name=name, kind=planned["kind"], division=planned["division"])
                orgs[name] = org
                result.organisations.append(org)
        for _, v in rows:
            user = User(username=v["username"], display_name=v["name"], role=ROLE_BY_LABEL[v["role"]],
                        organisation=orgs[v["organisation"]], phone=v["phone"], email=v["email"])
            user.set_unusable_password()
            user.save()
            if v["id_number"]:
                AccountIdentity.objects.create(user=user, id_number=v["id_number"])
            result.users.append(user)
        audit_record(kind=AuditEvent.Kind.STAFF_IMPORT, actor=actor, request=request, target="staff_import",
                     users=len(result.users), organisations=len(result.organisations))
        transaction.on_commit(lambda: [first_sign_in_send(user=u) for u in result.users])
    return result


def first_sign_in_send(*, user: User) -> str:
    """Send the first-sign-in link by email, else by SMS; returns the channel used."""
    from django.core.mail import send_mail

    link = first_sign_in_link(user)
    if user.email:
        send_mail("开通继续教育管理系统账号", f"{user}：\n\n已为您开通内蒙古专业技术人员继续教育管理系统账号，"
                  f"用户名为 {user.username}。请打开下面的链接设置登录密码（链接在设置密码后失效）：\n\n{link}\n",
                  None, [user.email])
        return "email"
    sms.sms_send(phone=user.phone, template="staff_welcome", params={"name": user.display_name[:20], "link": link})
    return "sms"


# --- the authority's own staff ------------------------------------------------------------------------


def staff_visible_to(actor: User) -> QuerySet[User]:
    """Staff accounts an administrator (all) or an authority (its subtree, itself excluded) manages."""
    qs = User.objects.filter(role__in=IMPORTABLE_ROLES).select_related("organisation__division")
    if actor.has_role(Role.ADMIN):
        return qs
    if actor.has_role(Role.REVIEWER) and actor.organisation_id:
        path = actor.organisation.division.path
        return qs.filter(Q(organisation__division__path__startswith=path)).exclude(pk=actor.pk)
    return qs.none()


def staff_deactivate(*, actor: User, user: User, reason: str = "", request=None) -> User:
    with transaction.atomic():
        locked = staff_visible_to(actor).select_for_update(of=("self",)).filter(pk=user.pk).first()
        if locked is None:
            raise PermissionDenied("只能停用本部门管辖范围内的工作人员账号。")
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            audit_record(kind=AuditEvent.Kind.STAFF_DEACTIVATE, actor=actor, request=request,
                         target=f"user:{locked.pk}", reason=reason[:200])
    return locked
