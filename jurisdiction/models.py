"""The jurisdiction tree (行政区划) and the organisations that sit on it."""

from django.db import models


class Division(models.Model):
    """行政区划: the region, a league or city, or a banner, county or district.

    `path` is the chain of codes from the root ("150000/150400/150404/"), so that a
    subtree is one indexed prefix query.
    """

    class Level(models.TextChoices):
        REGION = "region", "自治区"
        LEAGUE = "league", "盟市"
        COUNTY = "county", "旗县市区"

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=40)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=64, unique=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{6}$"), name="division_code_six_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Division") -> bool:
        return other.path.startswith(self.path)

    @property
    def league_code(self) -> str:
        """Code of the league-level node above (or at) this one; the region's own code at the top."""
        return league_code_of(self.path)


class ManagementLevel(models.TextChoices):
    """管理权限: whose hours a unit's staff have certified (2026 notice §一(六)2)."""

    LOCAL = "local", "属地管理"
    REGION_UNIT = "region_unit", "自治区本级单位"
    REGION_BASE = "region_base", "自治区级继续教育基地"


class Organisation(models.Model):
    """单位: a continuing-education base, a department, an HR bureau, an employer or a platform."""

    class Kind(models.TextChoices):
        BASE_REGION = "base_region", "自治区级继续教育基地"
        BASE_LEAGUE = "base_league", "盟市级继续教育基地"
        INDUSTRY_DEPT = "industry_dept", "行业主管部门"
        HRSS = "hrss", "人力资源和社会保障部门"
        EMPLOYER = "employer", "用人单位"
        ONLINE_PLATFORM = "online_platform", "网络培训平台"
        TITLE_OFFICE = "title_office", "职称评审办公室"

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类别", max_length=20, choices=Kind.choices)
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    contact_person = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)
    management_level = models.CharField(
        "管理层级", max_length=20, choices=ManagementLevel.choices, default=ManagementLevel.LOCAL,
        help_text="按照管理权限确定学时核定单位（2026年通知 一(六)2）",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["division__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def files_at_region_level(self) -> bool:
        """Region-level bases and departments report to the region's bureau (2026 notice §三)."""
        return self.kind == self.Kind.BASE_REGION or self.division.level == Division.Level.REGION


def league_code_of(path: str) -> str:
    """The league-level code in a division path ("150000/150400/150404/" -> "150400")."""
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) > 1 else parts[0]
