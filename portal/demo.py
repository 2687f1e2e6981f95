"""Demo data: organisations across several leagues and one user per role. Idempotent."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Role, User
from jurisdiction.models import Division, Organisation
from portal.demo_plans import seed_certified_training, seed_plans
from portal.demo_trainings import seed_campaigns, seed_league_trainings, seed_region_plan

DEMO_PASSWORD = "demo-jxjy-2026"

ORGANISATIONS = [
    # (name, kind, division code)
    ("内蒙古自治区人力资源和社会保障厅专业技术人员管理处", Organisation.Kind.HRSS, "150000"),
    ("赤峰市人力资源和社会保障局", Organisation.Kind.HRSS, "150400"),
    ("赤峰市松山区人力资源和社会保障局", Organisation.Kind.HRSS, "150404"),
    ("赤峰市红山区人力资源和社会保障局", Organisation.Kind.HRSS, "150402"),
    ("鄂尔多斯市人力资源和社会保障局", Organisation.Kind.HRSS, "150600"),
    ("锡林郭勒盟人力资源和社会保障局", Organisation.Kind.HRSS, "152500"),
    ("呼和浩特市人力资源和社会保障局", Organisation.Kind.HRSS, "150100"),
    ("包头市人力资源和社会保障局", Organisation.Kind.HRSS, "150200"),
    ("赤峰市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150400"),
    ("松山区卫生健康委员会", Organisation.Kind.INDUSTRY_DEPT, "150404"),
    ("鄂尔多斯市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150600"),
    ("内蒙古大学继续教育学院", Organisation.Kind.BASE_REGION, "150000"),
    ("呼和浩特市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150100"),
    ("包头市专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "150200"),
    ("锡林郭勒盟专业技术人员继续教育基地", Organisation.Kind.BASE_LEAGUE, "152500"),
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
    ("organiser_region", "何丽", Role.ORGANISER, "内蒙古大学继续教育学院"),
    ("organiser3", "苏日娜", Role.ORGANISER, "呼和浩特市专业技术人员继续教育基地"),
    ("organiser4", "郭志强", Role.ORGANISER, "包头市专业技术人员继续教育基地"),
    ("organiser5", "额尔敦", Role.ORGANISER, "锡林郭勒盟专业技术人员继续教育基地"),
    ("reviewer_hohhot", "韩雪", Role.REVIEWER, "呼和浩特市人力资源和社会保障局"),
    ("reviewer_baotou", "田野", Role.REVIEWER, "包头市人力资源和社会保障局"),
    ("reviewer_xilingol", "萨仁", Role.REVIEWER, "锡林郭勒盟人力资源和社会保障局"),
    # Inspectors: two at the region, one per league bureau, and two of Chifeng's counties (drawn for campaigns
    # above them; a Chifeng campaign has two besides the Chifeng bureau's, who stands aside for its trainings).
    ("inspector", "刘宏伟", Role.INSPECTOR, "内蒙古自治区人力资源和社会保障厅专业技术人员管理处"),
    ("inspector2", "周建华", Role.INSPECTOR, "内蒙古自治区人力资源和社会保障厅专业技术人员管理处"),
    ("inspector_chifeng", "马俊", Role.INSPECTOR, "赤峰市人力资源和社会保障局"),
    ("inspector_ordos", "白云飞", Role.INSPECTOR, "鄂尔多斯市人力资源和社会保障局"),
    ("inspector_hohhot", "吴磊", Role.INSPECTOR, "呼和浩特市人力资源和社会保障局"),
    ("inspector_baotou", "杨帆", Role.INSPECTOR, "包头市人力资源和社会保障局"),
    ("inspector_xilingol", "图雅", Role.INSPECTOR, "锡林郭勒盟人力资源和社会保障局"),
    ("inspector_songshan", "孟凡", Role.INSPECTOR, "赤峰市松山区人力资源和社会保障局"),
    ("inspector_hongshan", "秦刚", Role.INSPECTOR, "赤峰市红山区人力资源和社会保障局"),
    ("professional", "巴特尔", Role.PROFESSIONAL, None),
    ("title_office", "孙佳慧", Role.TITLE_OFFICE, "自治区职称评审办公室"),
    ("admin", "系统管理员", Role.ADMIN, None),
]

# Callables () -> None that add demo rows idempotently, run after the users exist. Demo data is
# wired here, for the seed command only; production start-up registers nothing.
EXTRA_SEEDERS: list = [seed_plans, seed_certified_training, seed_league_trainings, seed_region_plan, seed_campaigns]


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo organisations and users; return (username, role label, organisation) rows."""
    orgs = {}
    for name, kind, code in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "division": Division.objects.get(code=code)}
        )
    rows = []
    hashed = None  # one hash for every demo account: hashing costs about a second each
    for username, display, role, org_name in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display, "role": role, "organisation": orgs.get(org_name)},
        )
        if created:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        rows.append((username, user.get_role_display(), org_name or "—"))
    for seeder in EXTRA_SEEDERS:
        seeder()
    return rows
