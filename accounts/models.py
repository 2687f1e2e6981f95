"""Users, their organisation and their role."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ORGANISER = "organiser", "培训组织单位经办人"
    REVIEWER = "reviewer", "审核人员"
    INSPECTOR = "inspector", "巡查抽查人员"
    PROFESSIONAL = "professional", "专业技术人员"
    TITLE_OFFICE = "title_office", "职称评审办公室"
    ADMIN = "admin", "系统管理员"


class User(AbstractUser):
    """A person who signs in. Scope follows from the organisation and the role."""

    organisation = models.ForeignKey(
        "jurisdiction.Organisation",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.PROFESSIONAL)
    display_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            # Everyone but administrators and professionals acts for an organisation.
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "professional"]) | models.Q(organisation__isnull=False),
                name="user_role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def division(self):
        return self.organisation.division if self.organisation_id else None

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
