"""The public API's own rows: clients and their tokens, the request log, idempotency keys,
online completion batches and records, the ledger change-feed marks, webhook deliveries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    PLANS = "plans", "培训计划"
    ROSTERS = "rosters", "花名册和报告"
    COMPLETIONS = "completions", "网络培训完成记录"
    LEDGER = "ledger", "学时台账"


class ApiClient(models.Model):
    """接口客户端: one outside system acting for one organisation. Only the token's hash is stored."""

    organisation = models.ForeignKey("jurisdiction.Organisation", verbose_name="所属单位",
                                     on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField("名称", max_length=100)
    scopes = models.JSONField("权限范围", default=list)
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    token_prefix = models.CharField("令牌前缀", max_length=12, editable=False)
    service_user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="接口经办账号",
                                        on_delete=models.PROTECT, related_name="api_client")
    rate_limit_per_minute = models.PositiveIntegerField("每分钟请求上限", default=600)
    webhook_url = models.URLField("回调地址", max_length=300, blank=True)
    webhook_secret = models.CharField("回调密钥", max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "接口客户端"
        verbose_name_plural = "接口客户端"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> str:
        labels = dict(Scope.choices)
        return "、".join(labels.get(s, s) for s in self.scopes)


class ApiRequestLog(models.Model):
    """接口请求记录: every request with its client (null when the token was missing or unknown)."""

    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "接口请求记录"
        verbose_name_plural = "接口请求记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class IdempotencyKey(models.Model):
    """One use of an Idempotency-Key by a client: running while the first request runs, then its answer."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path and the parsed body")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"


class CompletionBatch(models.Model):
    """网络培训完成记录批次: the records of one request, certified or returned by the authority as a whole."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核定"
        CERTIFIED = "certified", "已核定"
        RETURNED = "returned", "已退回"

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="completion_batches")
    plan = models.ForeignKey("filings.TrainingPlan", on_delete=models.PROTECT, related_name="completion_batches")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    record_count = models.PositiveIntegerField("记录数", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "完成记录批次"
        verbose_name_plural = "完成记录批次"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.plan_id} 批次 {self.pk}"


class CompletionRecord(models.Model):
    """网络培训完成记录: one person's completion of an online training, as the platform reported it."""

    batch = models.ForeignKey(CompletionBatch, on_delete=models.PROTECT, related_name="records")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    record_id = models.CharField("平台记录号", max_length=64)
    id_number = models.CharField("身份证号码", max_length=18)
    name = models.CharField("姓名", max_length=40)
    subject = models.CharField("科目类别", max_length=20)
    hours = models.PositiveIntegerField("学时")
    completed_on = models.DateField("完成日期")
    exam_passed = models.BooleanField("考试合格", null=True, blank=True)

    class Meta:
        verbose_name = "完成记录"
        verbose_name_plural = "完成记录"
        constraints = [models.UniqueConstraint(fields=["client", "record_id"], name="api_completion_record_once")]

    def __str__(self) -> str:
        return f"{self.record_id} {self.name}"


class LedgerFeedMark(models.Model):
    """The transaction that wrote a ledger entry (PostgreSQL: pg_current_xact_id(), written by a trigger).

    The change feed serves entries in (xid, entry) order and only those whose transaction is older than
    every transaction still running, so an entry committed late can never appear behind a cursor.
    """

    entry = models.OneToOneField("ledger.HourEntry", primary_key=True, on_delete=models.DO_NOTHING,
                                 related_name="+", db_constraint=False)
    xid = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["xid", "entry"], name="api_feed_xid_entry")]

    def __str__(self) -> str:
        return f"{self.xid}:{self.entry_id}"


class WebhookDelivery(models.Model):
    """回调投递: one event for one client; claimed by a conditional update, retried for 24 hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, default="plan.state_changed")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "回调投递"
        verbose_name_plural = "回调投递"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.event} {self.id}"
