"""Demo data: organisations across several leagues and one user per role. Idempotent."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from jurisdiction.models import Division, Organisation
from portal.demo_plans import seed_certified_training, seed_plans

DEMO_PASSWORD = "demo-jxjy-2026"

ORGANISATIONS = [
    # (name, kind, division code)
    ("内蒙古自治区人力资源和社会保障厅专业技术人员管理处", Organisation.Kind.HRSS, "150000"),
    ("赤峰市人力资源和社会保障局", Organisation.Kind.HRSS, "150400"),
    ("赤峰市松山区人力资源和社会保障局", Organisation.Kind.HRSS, "150404"),
    ("鄂尔多斯市人力资源和社会保障局", Organisation.Kind.HRSS, "150600"),
    ("锡林郭勒盟人力资源和社会保障局", Organisation.Kind.HRSS, "152500"),
    ("赤峰市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150400"),
    ("松山区卫生健康委员会", Organisation.Kind.INDUSTRY_DEPT, "150404"),
    ("鄂尔多斯市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150600"),
    ("内蒙古大学继续教育学院", Organisation.Kind.BASE_REGION, "150000"),
    ("锡林浩特市第一中学", Organisation.Kind.EMPLOYER, "152502"),
    ("自治区职称评审办公室", Organisation.Kind.TITLE_OFFICE, "150000"),
]

USERS = [
    # (username, display name, role, organisation name or None)
    ("organiser", "王晓燕", Role.ORGANISER, "赤峰市专业技术人员继续教育基地"),
    ("organiser2", "李建国", Role.ORGANISER, "鄂尔多斯市专业技术人员继续教育基地"),
    ("reviewer", "张海峰", Role.REVIEWER, "赤峰市人力资源和社会保障局"),
    ("reviewer2", "陈丽娜", Role.REVIEWER, "鄂尔多斯市人力资源和社会保障局"),
    ("reviewer_region", "赵志刚", Role.REVIEWER, "内蒙古自治区人力资源和社会保障厅专业技术人员管理处"),
    ("inspector", "刘宏伟", Role.INSPECTOR, "内蒙古自治区人力资源和社会保障厅专业技术人员管理处"),
    ("professional", "巴特尔", Role.PROFESSIONAL, None),
    ("title_office", "孙佳慧", Role.TITLE_OFFICE, "自治区职称评审办公室"),
    ("admin", "系统管理员", Role.ADMIN, None),
]

# Callables () -> None that add demo rows idempotently, run after the users exist. Demo data is
# wired here, for the seed command only; production start-up registers nothing.
EXTRA_SEEDERS: list = [seed_plans, seed_certified_training]


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo organisations and users; return (username, role label, organisation) rows."""
    orgs = {}
    for name, kind, code in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "division": Division.objects.get(code=code)}
        )
    rows = []
    for username, display, role, org_name in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display, "role": role, "organisation": orgs.get(org_name)},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        rows.append((username, user.get_role_display(), org_name or "—"))
    for seeder in EXTRA_SEEDERS:
        seeder()
    return rows
