"""The plan lifecycle as a Mermaid state diagram, generated from the FSM's transitions."""

from filings.models import PlanState, TrainingPlan

TRANSITION_LABELS = {
    "submit": "提交", "withdraw": "撤回", "approve": "同意备案", "return_for_revision": "退回修改",
    "reject": "不予备案", "cancel": "取消", "start_training": "培训开始", "end_training": "培训结束",
    "submit_report": "提交培训报告", "accept_report": "报告审核通过", "return_report": "报告退回", "certify": "核定学时",
}


def plan_state_diagram() -> str:
    field = TrainingPlan._meta.get_field("state")
    edges = sorted(
        {(t.source, t.target, t.name) for t in field.get_all_transitions(TrainingPlan)},
        key=lambda e: (list(PlanState.values).index(e[0]), e[2]),
    )
    lines = ["stateDiagram-v2", f"    [*] --> {PlanState.DRAFT}"]
    lines += [f"    {state.value}: {state.label}" for state in PlanState]
    lines += [f"    {src} --> {dst}: {TRANSITION_LABELS.get(name, name)}" for src, dst, name in edges]
    return "\n".join(lines)
