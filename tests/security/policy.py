"""The written permission policy: for every named URL, who may read (GET) and who may write (POST).

Roles, all relative to the object the URL names (every object of the fixture world belongs to
`owner`'s organisation, Chifeng's Songshan base):

- owner: the organiser of the object;          outsider: an organiser of another organisation;
- reviewer: a reviewer of the object's node;   reviewer_other: a reviewer of another league;
- inspector: a region-level inspector;          professional: a professional (a trainee of the world);
- anonymous: not signed in.

Anyone not listed must be refused: anonymous with a redirect to the sign-in page, a signed-in
user with 403 or 404 (405 where the view does not accept the method), and a refused POST must
change nothing. `mutators` are the roles whose POST may change state; by default the writers.
A page that renders for POST as for GET (no form behind it) lists its readers as writers and has
no mutators: the matrix then checks that such a POST changes nothing.

`full_pii` names the roles that get full ID numbers or phone numbers from the URL, with the reason;
the personal-data scan lets those through and asserts an audit row (export or unmask) for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OWNER, OUTSIDER, REVIEWER, REVIEWER_OTHER = "owner", "outsider", "reviewer", "reviewer_other"
INSPECTOR, PROFESSIONAL, ANONYMOUS = "inspector", "professional", "anonymous"

SIGNED_IN = frozenset({OWNER, OUTSIDER, REVIEWER, REVIEWER_OTHER, INSPECTOR, PROFESSIONAL})
EVERYONE = SIGNED_IN | {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()
ORGANISERS = frozenset({OWNER, OUTSIDER})
REVIEWERS = frozenset({REVIEWER, REVIEWER_OTHER})
AUTHORITIES = REVIEWERS | {INSPECTOR}
# Who sees the owner's plan: its organiser, the reviewer of its node and the region's inspector.
PLAN_READERS = frozenset({OWNER, REVIEWER, INSPECTOR})
STAFF = "staff"  # Django admin: is_staff users only; no role of the matrix is staff.


@dataclass(frozen=True)
class Rule:
    read: frozenset[str]
    write: frozenset[str]
    mutators: frozenset[str] | None = None
    full_pii: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def changers(self) -> frozenset[str]:
        return self.write if self.mutators is None else self.mutators


def page(readers, note: str = "") -> Rule:
    """A read-only page whose view answers POST like GET: the same readers, and nobody changes anything."""
    readers = frozenset(readers)
    return Rule(read=readers, write=readers, mutators=NOBODY, note=note or "页面；POST 与 GET 相同，不改变状态")


def action(writers, note: str = "") -> Rule:
    """A POST-only action (GET answers 405)."""
    return Rule(read=NOBODY, write=frozenset(writers), note=note)


def form(roles, note: str = "") -> Rule:
    roles = frozenset(roles)
    return Rule(read=roles, write=roles, note=note)


PUBLIC_PAGE = Rule(read=EVERYONE, write=EVERYONE, mutators=NOBODY, note="公开页面，无需登录")

POLICY: dict[str, Rule] = {
    # --- accounts and portal
    "login": form(EVERYONE, "登录页，公开"),
    "logout": Rule(read=NOBODY, write=EVERYONE, note="退出：仅 POST；未登录者退出无副作用"),
    "password_change": form(SIGNED_IN, "本人修改密码"),
    "password_change_done": Rule(read=SIGNED_IN, write=NOBODY),
    "second_factor_setup": form(AUTHORITIES, "审核人员、巡查抽查人员（和管理员）启用两步验证"),
    "second_factor_verify": form(SIGNED_IN, "输入密码后待验证的会话；无待验证时跳转"),
    "home": page(SIGNED_IN, "各角色首页"),
    "audit_event_list": page({INSPECTOR}, "巡查抽查人员查看本级及以下用户的审计日志（管理员查看全部）"),
    # --- accounts at the region's scale (the employer's HR is not a matrix role: tests/accounts cover it)
    "accounts:register": form(EVERYONE, "专业技术人员自助注册，公开；已登录者转到首页"),
    "accounts:register_confirm": form(EVERYONE, "无待确认的注册时转到注册页"),
    "accounts:password_reset": form(EVERYONE, "找回密码，公开；不论账号是否存在答复相同"),
    "accounts:password_reset_code": form(EVERYONE, "无待验证的重置时转到找回密码页"),
    "accounts:password_reset_sent": PUBLIC_PAGE,
    "accounts:password_reset_done": PUBLIC_PAGE,
    "accounts:password_reset_confirm": form(EVERYONE, "邮件链接；令牌无效时只显示说明"),
    "accounts:first_sign_in": form(EVERYONE, "首次登录链接；令牌无效时只显示说明"),
    "accounts:link_requests": page(REVIEWERS, "账号关联确认：审核人员（和用人单位人事、管理员）看本范围的申请"),
    "accounts:link_decide": action(NOBODY, "世界中没有待确认的申请；tests/accounts/test_registration.py 覆盖"),
    "accounts:oidc_init": Rule(read=NOBODY, write=NOBODY, note="统一身份认证默认关闭（404）；tests/accounts/test_oidc.py 覆盖"),
    "accounts:oidc_callback": Rule(read=NOBODY, write=NOBODY, note="同上"),
    "accounts:staff_list": page(REVIEWERS, "主管部门看本辖区的工作人员账号"),
    "accounts:staff_import": form(REVIEWERS, "管理员和主管部门批量开通账号（空提交只报错）"),
    "accounts:staff_template": page(REVIEWERS),
    "accounts:staff_deactivate": Rule(read=NOBODY, write=frozenset({REVIEWER}),
                                      note="停用本辖区的工作人员账号；世界中的对象是 owner"),
    "accounts:employer_staff": page(NOBODY, "只有用人单位人事经办人（非矩阵角色）"),
    "accounts:employer_person": page(NOBODY, "只有用人单位人事经办人（非矩阵角色）"),
    "accounts:employer_links": Rule(read=REVIEWERS, write=REVIEWERS, mutators=NOBODY,
                                    note="主管部门关联用人单位；空提交不改变状态"),
    "accounts:employer_link_revoke": action(NOBODY, "世界中没有关联记录"),
    "accounts:my_employer": Rule(read=frozenset({PROFESSIONAL}), write=frozenset({PROFESSIONAL}), mutators=NOBODY,
                                 note="本人授权所在单位；世界中的人员未登记所在单位，提交不改变状态"),
    "card_verify": PUBLIC_PAGE,
    # --- training plans
    "filings:plan_list": page(ORGANISERS | AUTHORITIES, "列表按本人范围过滤"),
    "filings:plan_create": form(ORGANISERS, "组织单位为本单位填报"),
    "filings:plan_detail": page(PLAN_READERS),
    "filings:plan_edit": form({OWNER}),
    "filings:plan_submit": action({OWNER}),
    "filings:plan_withdraw": action({OWNER}),
    "filings:plan_cancel": action({OWNER}),
    "filings:plan_decide": action({REVIEWER}, "审核部门审核人员；不审本单位的计划"),
    "filings:plan_late_exception": action({REVIEWER}),
    "filings:plan_import_template": page(ORGANISERS),
    "filings:plan_import": form(ORGANISERS),
    "filings:plan_filing_form_print": page(PLAN_READERS),
    "filings:plan_filing_form_xlsx": page(PLAN_READERS),
    "filings:knowledge_update_export": page(REVIEWERS, "各审核部门导出本部门的计划表"),
    # --- review tasks
    "reviews:inbox": page(REVIEWERS),
    "reviews:claim": action({REVIEWER}),
    "reviews:release": action({REVIEWER}, "只有认领人可以释放"),
    "reviews:task_claim": action({REVIEWER}, "任务所属审核部门；不处理本单位的事项"),
    "reviews:task_release": action({REVIEWER}, "只有认领人可以释放"),
    "reviews:late_request": action({OWNER}, "本计划组织单位；已超过备案期限且未提交"),
    "reviews:late_claim": action({REVIEWER}, "该计划审核部门；不处理本单位的计划"),
    "reviews:late_release": action({REVIEWER}, "只有认领人可以释放"),
    "reviews:late_decide": action({REVIEWER}, "同事已认领的任务不能审批；未认领的审批时先认领"),
    # --- rosters
    "roster:roster_detail": page(PLAN_READERS),
    "roster:template": page(PLAN_READERS, "空白模板（带计划信息），无个人信息"),
    "roster:upload": form({OWNER}),
    "roster:upload_status": page(PLAN_READERS),
    "roster:upload_confirm": action({OWNER}),
    "roster:upload_marked": Rule(
        read=frozenset({OWNER}), write=frozenset({OWNER}), note="组织单位本人上传的文件加错误标注；下载写审计日志",
        full_pii={OWNER: "退回本单位上传的原文件供改错，须保留原值；下载记审计日志（export）"},
    ),
    # --- training reports
    "reports:report_detail": page(PLAN_READERS),
    "reports:attachment_upload": action({OWNER}),
    "reports:report_submit": action({OWNER}),
    "reports:attachment_download": page(PLAN_READERS),
    "reports:attachment_delete": action({OWNER}, "本计划组织单位经办人；报告提交前（或退回后）"),
    "reports:attachment_replace": action({OWNER}, "同上"),
    # --- certification
    "certification:plan_certification": page(PLAN_READERS),
    "certification:report_accept": action({REVIEWER}),
    "certification:report_return": action({REVIEWER}),
    "certification:certify": action({REVIEWER}, "核定部门审核人员；不核定本单位组织的培训；后台任务核定"),
    "certification:adjustments_save": action({REVIEWER}, "核定部门审核人员；只能在花名册学时以内减少，须填理由"),
    "certification:adjustments_upload": action({REVIEWER}, "核定部门审核人员；学时调整表经上传检查，全部或全不导入"),
    # --- ledger
    "ledger:my_hours": page({PROFESSIONAL}),
    "ledger:batch_list": page(REVIEWERS, "各核定部门只看本部门批次"),
    "ledger:batch_create": action(REVIEWERS, "为本部门生成批次"),
    "ledger:batch_download": Rule(
        read=frozenset({REVIEWER}), write=frozenset({REVIEWER}),
        note="下载写审计日志；完整身份证号码只给有 accounts.view_full_personal_data 权限者（世界中的 reviewer 没有）",
    ),
    "ledger:batch_mark_sent": action({REVIEWER}),
    "ledger:amendment_list": page(ORGANISERS | REVIEWERS, "列表按本人范围过滤"),
    "ledger:person_list": page(REVIEWERS, "按身份证号码或姓名查询本部门范围内的人员，脱敏显示"),
    "ledger:person_detail": page({REVIEWER}, "本部门范围内人员的学时；完整身份证号码仅对有权限者显示并审计"),
    "ledger:amendment_request": action({OWNER, REVIEWER}),
    "ledger:amendment_decide": action({REVIEWER}, "申请人以外的核定部门审核人员"),
    # --- credit applications and circumstance records (employer HR is not a matrix role)
    "ledger:application_list": page(REVIEWERS | {PROFESSIONAL}, "列表按本人范围过滤"),
    "ledger:credit_new": form({PROFESSIONAL}, "本人申请；用人单位人事经办人为本单位人员申请"),
    "ledger:credit_bulk": Rule(read=NOBODY, write=NOBODY, note="仅用人单位人事经办人"),
    "ledger:credit_bulk_template": Rule(read=NOBODY, write=NOBODY, note="仅用人单位人事经办人"),
    "ledger:circumstance_new": form(REVIEWERS, "审核部门（及用人单位人事经办人）登记；人员须在本人范围内"),
    "ledger:application_detail": page({PROFESSIONAL, REVIEWER}, "申请人本人、所在单位人事、审核部门"),
    "ledger:application_evidence": page({PROFESSIONAL, REVIEWER}),
    "ledger:application_decide": action({REVIEWER}, "审核部门中申报人以外、非本单位人员的审核人员"),
    "ledger:application_resubmit": action({PROFESSIONAL}, "只有申报人重新提交被退回的申请"),
    "ledger:application_claim": action({REVIEWER}),
    "ledger:application_release": action({REVIEWER}, "只有认领人可以释放"),
    # --- notifications (each user acts on their own messages and settings only)
    "notifications:inbox": page(SIGNED_IN),
    "notifications:mark_read": Rule(read=NOBODY, write=SIGNED_IN, mutators=frozenset({OWNER}),
                                    note="任何人可提交，但只改本人的消息"),
    "notifications:mark_all_read": Rule(read=NOBODY, write=SIGNED_IN, mutators=frozenset({OWNER}),
                                        note="只改本人的消息；世界中只有 owner 有消息"),
    "notifications:deadlines": page(SIGNED_IN),
    "notifications:preferences": form(SIGNED_IN, "本人提醒设置"),
    # --- spot checks (the campaigns belong to the region bureau, whose inspector is `inspector`)
    "spotchecks:campaign_list": page(AUTHORITIES, "列表按本部门及下级过滤"),
    "spotchecks:campaign_create": form({INSPECTOR}, "只有巡查抽查人员创建抽查批次"),
    "spotchecks:campaign_detail": page({INSPECTOR}),
    "spotchecks:campaign_commitment": page({INSPECTOR}, "承诺记录（打印归档）：同批次详情"),
    "spotchecks:campaign_draw": action({INSPECTOR}),
    "spotchecks:redraw_request": action({INSPECTOR}),
    "spotchecks:results_approve": action({INSPECTOR}),
    "spotchecks:redraw_approve": action({INSPECTOR}, "申请人以外的本部门人员"),
    "spotchecks:selection_detail": form({INSPECTOR}, "录入检查情况：指派的检查人员"),
    "spotchecks:evidence_upload": action({INSPECTOR}),
    "spotchecks:inspection_confirm": action({INSPECTOR}, "录入人以外的本部门人员；不确认本单位的培训"),
    "spotchecks:assignment_reassign": action({INSPECTOR}),
    "spotchecks:public_list": PUBLIC_PAGE,
    "spotchecks:public_detail": PUBLIC_PAGE,
    "spotchecks:public_snapshot": PUBLIC_PAGE,
    # --- eligibility reviews and audit cards (the title office is not a matrix role)
    "rules:eligibility_batch": form({REVIEWER, REVIEWER_OTHER}, "职称评审办公室、审核人员、管理员"),
    "rules:eligibility_template": page(REVIEWERS),
    "rules:eligibility_batch_download": Rule(
        read=REVIEWERS, write=REVIEWERS, mutators=NOBODY,
        full_pii={REVIEWER: "审验结果按上传名单回填完整身份证号码；导出记审计日志（export）",
                  REVIEWER_OTHER: "同上"},
    ),
    "rules:verdict_detail": page({REVIEWER}, "本部门核定过学时的人员"),
    "rules:card_issue": action({REVIEWER}),
    "rules:my_eligibility": page({PROFESSIONAL}),
    "rules:my_card_issue": action({PROFESSIONAL}),
    "rules:card_detail": page({REVIEWER, PROFESSIONAL}, "持卡人本人和核定过其学时的审核部门"),
    "rules:card_pdf": page({REVIEWER, PROFESSIONAL}),
    "rules:card_revoke": action({REVIEWER}),
    # --- statistics (insights)
    "insights:overview": page(ORGANISERS | AUTHORITIES, "审核、巡查部门看本区划及下级；组织单位只看本单位；专技人员无"),
    "insights:export": page(ORGANISERS | AUTHORITIES, "导出本页表格；仅 GET（POST 405），导出记审计日志"),
    "insights:annual_xlsx": page(AUTHORITIES, "年度统计报表：审核、巡查部门；仅 GET"),
    "insights:annual_print": page(AUTHORITIES, "年度统计报表打印页"),
    # --- the public API (/api/v1/): bearer tokens only; a session is no credential there (401 problem+json)
    "api:api-root": Rule(read=NOBODY, write=NOBODY, note="接口根路径：须令牌"),
    "api:openapi-json": PUBLIC_PAGE,
    "api:openapi-view": PUBLIC_PAGE,
    "api:plan_create": Rule(read=NOBODY, write=NOBODY, note="须令牌（plans）"),
    "api:plan_list": Rule(read=NOBODY, write=NOBODY, note="须令牌（plans）"),
    "api:plan_detail": Rule(read=NOBODY, write=NOBODY, note="须令牌（plans）"),
    "api:plan_submit": Rule(read=NOBODY, write=NOBODY, note="须令牌（plans）"),
    "api:plan_roster": Rule(read=NOBODY, write=NOBODY, note="须令牌（rosters）"),
    "api:completions": Rule(read=NOBODY, write=NOBODY, note="须令牌（completions）"),
    "api:ledger_changes": Rule(read=NOBODY, write=NOBODY, note="须令牌（ledger）"),
    "api:person_hours": Rule(read=NOBODY, write=NOBODY, note="须令牌（ledger）"),
    "api:eligibility": Rule(read=NOBODY, write=NOBODY, note="须令牌（ledger）"),
    # --- API clients and online completions (the owner's organisation reports to `reviewer`'s bureau)
    "api_clients:client_list": form(REVIEWERS, "管理员和主管人社部门；列表与可选单位按本部门管辖过滤"),
    "api_clients:client_revoke": action({REVIEWER}, "该单位的主管人社部门（或管理员）"),
    "api_clients:completion_batches": page(REVIEWERS, "列表按本部门审核的计划过滤"),
    "api_clients:completion_batch_certify": action({REVIEWER}, "计划审核部门的审核人员；不核定本单位组织的培训"),
    "api_clients:completion_batch_return": action({REVIEWER}, "同上；须填写理由"),
}

# admin:* — one rule: staff only (the admin's own sign-in and sign-out pages are public).
ADMIN_RULE = Rule(read=frozenset({STAFF}), write=frozenset({STAFF}), note="Django 管理后台：仅 is_staff")
ADMIN_PUBLIC = {"admin:login": form(EVERYONE, "管理后台登录页"),
                "admin:logout": Rule(read=NOBODY, write=EVERYONE, mutators=NOBODY)}


def rule_for(url_name: str) -> Rule | None:
    if url_name in POLICY:
        return POLICY[url_name]
    if url_name in ADMIN_PUBLIC:
        return ADMIN_PUBLIC[url_name]
    if url_name.startswith("admin:"):
        return ADMIN_RULE
    return None
