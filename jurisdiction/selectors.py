"""Reads over the jurisdiction tree."""

from jurisdiction.models import Division, Organisation


def supervising_authority(organisation: Organisation) -> Organisation:
    """The HR bureau that reviews an organiser's plans.

    Region-level bases and departments report to the region's bureau; everyone else to the
    bureau at its own node, or the nearest one above it.
    """
    bureaus = Organisation.objects.filter(kind=Organisation.Kind.HRSS, is_active=True).select_related("division")
    if organisation.files_at_region_level:
        bureau = bureaus.filter(division__level=Division.Level.REGION).order_by("pk").first()
    else:
        ancestor_codes = organisation.division.path.strip("/").split("/")
        candidates = sorted(
            bureaus.filter(division__code__in=ancestor_codes), key=lambda o: (-len(o.division.path), o.pk)
        )
        bureau = candidates[0] if candidates else None
    if bureau is None:
        raise Organisation.DoesNotExist(f"{organisation.name} 所在区划及上级均未设置人力资源和社会保障部门。")
    return bureau


def parent_authority(organisation: Organisation) -> Organisation | None:
    """The HR bureau above an authority (where its overdue tasks escalate): the nearest active bureau on the
    path above the authority's own division; none above the region's bureau."""
    ancestor_codes = organisation.division.path.strip("/").split("/")[:-1]
    bureaus = (Organisation.objects.filter(kind=Organisation.Kind.HRSS, is_active=True,
                                           division__code__in=ancestor_codes).select_related("division"))
    return max(bureaus, key=lambda o: (len(o.division.path), -o.pk), default=None)
