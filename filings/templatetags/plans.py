from django import template

register = template.Library()


@register.filter
def days_left(plan, now) -> int:
    return plan.days_until_start(now)
