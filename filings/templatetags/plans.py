from django import template

register = template.Library()


@register.filter
def days_left(plan, now) -> int:
    return plan.days_until_start(now)


@register.filter
def approval_closed(plan, now) -> bool:
    """A submitted plan whose training began undecided: it can only be rejected or withdrawn.

    Lists read only the clock (every rule set in force has `decide_before_start`), so that a list page
    costs no query per row; the plan page and plan_decide ask the rule set (filings.decision_window)."""
    return plan.state == "submitted" and now >= plan.starts_at
