"""Browser steps that more than one journey takes, written once."""

from reviews.spotchecks import selectors
from tests.browser.conftest import login, logout


def file_plan(page, title: str) -> None:
    """The signed-in organiser fills the plan form, saves the draft and submits it."""
    page.goto(f"{page.base}/plans/new/")
    page.fill("#id_title", title)
    page.select_option("#id_subject", "professional")
    page.select_option("#id_mode", "face_to_face")
    page.fill("#id_starts_at", "2026-04-01T09:00")
    page.fill("#id_ends_at", "2026-04-03T17:00")
    page.fill("#id_place", "赤峰市红山区学院路1号")
    page.fill("#id_content", "新技术专题讲座")
    page.fill("#id_trainee_scope", "全市卫生系统专业技术人员")
    page.fill("#id_planned_headcount", "120")
    page.fill("#id_hours", "24")
    page.fill("#id_fee", "0")
    page.fill("#id_contact_person", "王晓燕")
    page.fill("#id_contact_phone", "0476-8466847")
    page.fill("#id_teachers-0-name", "高文博")
    page.fill("#id_teachers-0-title", "教授")
    page.fill("#id_teachers-0-employer", "内蒙古大学")
    page.shot("plan-form")
    page.click("text=保存草稿")
    page.wait_for_selector("text=已保存为草稿")
    page.click("text=提交审核")
    page.wait_for_selector("text=计划已提交审核")
    page.shot("plan-submitted")


def draw_the_plan(page, campaign, plan, inspector):
    """On the campaign page, draw (the system unseals the seed) a sample of one, which must be `plan`, with two
    inspectors from neither the organiser nor the plan's authority. Signs in as one of them (the
    signed-in `inspector` if drawn) and returns the selection and who records."""
    page.click("button:has-text('冻结并抽取')")
    page.wait_for_selector("text=已抽取，检查人员已随机指派")
    page.shot("sample-drawn")
    selection = selectors.current_selections(campaign).get()
    assert selection.plan == plan
    team = [a.inspector for a in selectors.active_assignments(selection)]
    assert len(team) == 2
    assert not {u.organisation_id for u in team} & {plan.organiser_id, plan.authority_id}
    recorder = inspector if inspector in team else team[0]
    if recorder != inspector:
        logout(page)
        login(page, recorder.username)
        page.goto(f"{page.base}/spot-checks/{campaign.pk}/")
    return selection, recorder


def record_fraud(page, plan) -> None:
    """The assigned inspector opens the drawn training and records a fraud violation on the checklist."""
    page.click(f"text={plan.filing_no}")
    page.wait_for_selector("h2:has-text('检查情况')")
    page.shot("selection")
    page.select_option("#id_item_headcount", "problem")
    page.fill("#id_note_headcount", "签到表有冒名代签，实到人数与花名册不符")
    page.fill("#id_findings", "签到表冒名代签，培训现场照片与花名册不符。")
    page.select_option("#id_outcome", "violation")
    page.select_option("#id_violation_kind", "fraud")
    page.shot("inspection-form")
    page.click("button:has-text('录入')")
    page.wait_for_selector("text=检查情况已录入")
    page.wait_for_selector("text=待另一名人员确认")
