"""Reminders as rows: one per (deadline kind, object, recipient, step), claimed by a conditional
update and delivered once per channel (healthchecks-style), plus the in-app notification centre.
"""

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    INAPP = "inapp", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class ReminderSchedule(models.Model):
    """提醒计划: overrides the default reminder steps of one deadline kind."""

    kind = models.CharField("截止事项类别", max_length=40, unique=True)
    offsets = models.JSONField("提醒时点（相对截止日的天数）", help_text="如 [-7, -3, -1, 0, 1, 7]，负数为截止前")
    escalate_from = models.IntegerField("自该时点起升级提醒", null=True, blank=True,
                                        help_text="相对截止日的天数；留空表示不升级")

    class Meta:
        verbose_name = "提醒计划"
        verbose_name_plural = "提醒计划"

    def __str__(self) -> str:
        return f"{self.kind}: {self.offsets}"


class Reminder(models.Model):
    """提醒: one step of one deadline for one recipient. Created when due, claimed once, sent once."""

    kind = models.CharField("截止事项类别", max_length=40)
    object_key = models.CharField("对象", max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="reminders")
    step = models.IntegerField("提醒时点（相对截止日的天数）")
    escalation = models.BooleanField("升级提醒", default=False)
    deadline_at = models.DateTimeField("截止时间")
    due_at = models.DateTimeField("应发时间")
    title = models.CharField("事项", max_length=200)
    action = models.CharField("需办理", max_length=200)
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送完成时间", null=True, blank=True)
    worker = models.CharField("投递进程", max_length=200, blank=True, default="",
                              help_text="正在投递的后台进程（节点名#进程号）；该进程失联后由重启的进程重新投递")
    skipped_at = models.DateTimeField("跳过时间", null=True, blank=True,
                                      help_text="补发时只发最近一步，之前错过的步骤记为跳过")

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_key", "recipient", "step"], name="reminder_once_per_step"),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="reminder_pending_due",
                         condition=models.Q(claimed_at__isnull=True, skipped_at__isnull=True)),
            models.Index(fields=["claimed_at"], name="reminder_claimed_unsent",
                         condition=models.Q(claimed_at__isnull=False, sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.step:+d} 天）"


class Delivery(models.Model):
    """投递记录: one channel of one reminder, marked done under a row lock, so it is done once."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    done_at = models.DateTimeField("投递时间", null=True, blank=True)
    failed_at = models.DateTimeField("放弃时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
        constraints = [
            models.UniqueConstraint(fields=["reminder", "channel"], name="delivery_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} {self.channel}"


class Notification(models.Model):
    """站内消息: what the notification centre lists; read when the user marks it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(Reminder, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="notification")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=200, blank=True)
    escalation = models.BooleanField("升级提醒", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ChannelPreference(models.Model):
    """提醒渠道设置: a user's choice of a channel for one deadline kind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences")
    kind = models.CharField("截止事项类别", max_length=40)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "提醒渠道设置"
        verbose_name_plural = "提醒渠道设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}={self.enabled}"
