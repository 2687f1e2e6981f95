"""The refresh: idempotent, swapped in at once, and a failure keeps the previous numbers."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from filings import services
from insights.models import Figure, Generation
from insights.selectors import live_generation
from insights.services import RefreshFailed, statistics_collect, statistics_refresh
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.insights.conftest import REFRESH_AT, build_stats_world

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple]:
    generation = live_generation()
    return set(Figure.objects.filter(generation=generation).values_list(
        "league", "county", "organiser_id", "year", "month", "metric", "key", "value"))


def test_a_second_refresh_gives_the_same_figures_and_keeps_one_generation_of_rows(stats_world):
    first = statistics_refresh(now=REFRESH_AT)
    before = snapshot()
    second = statistics_refresh(now=REFRESH_AT)
    assert second.pk != first.pk
    assert snapshot() == before and before
    assert Generation.objects.get(pk=first.pk).status == Generation.Status.RETIRED
    assert not Figure.objects.filter(generation=first).exists()
    assert Generation.objects.filter(status=Generation.Status.LIVE).get() == second
    assert Figure.objects.count() == len(before) == second.rows


def test_a_refresh_picks_up_new_filings(stats_world, owner):
    statistics_refresh(now=REFRESH_AT)
    before = snapshot()
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    statistics_refresh(now=REFRESH_AT)
    assert snapshot() != before


def test_a_refresh_failing_half_way_through_writing_keeps_the_previous_numbers(stats_world, owner, monkeypatch):
    good = statistics_refresh(now=REFRESH_AT)
    before = snapshot()
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    monkeypatch.setattr("insights.services.BATCH", 10)
    real_bulk_create, calls = Figure.objects.bulk_create, []

    def second_batch_fails(rows, *args, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise DatabaseError("磁盘已满")
        return real_bulk_create(rows, *args, **kwargs)

    monkeypatch.setattr(Figure.objects, "bulk_create", second_batch_fails)
    with pytest.raises(RefreshFailed, match="磁盘已满"):
        statistics_refresh(now=REFRESH_AT)
    assert calls[0] == 10  # a first batch was written before the failure
    assert live_generation() == good
    assert snapshot() == before
    failed = Generation.objects.get(status=Generation.Status.FAILED)
    assert failed.error
    assert not Figure.objects.filter(generation=failed).exists()


def test_a_collector_that_raises_keeps_the_previous_numbers(stats_world):
    good = statistics_refresh(now=REFRESH_AT)
    before = snapshot()

    def raises(*, now):
        raise RuntimeError("数据库连接中断")

    with pytest.raises(RefreshFailed, match="数据库连接中断"):
        statistics_refresh(now=REFRESH_AT, collect=raises)
    assert live_generation() == good and snapshot() == before


def test_the_command_refreshes_and_beat_runs_the_task_hourly(stats_world, monkeypatch):
    call_command("refresh_statistics")
    assert live_generation() is not None and snapshot()
    assert settings.CELERY_BEAT_SCHEDULE["refresh-statistics"]["task"] == "insights.refresh_statistics"

    def fails(**kwargs):
        raise RefreshFailed("统计计算失败")

    monkeypatch.setattr("insights.management.commands.refresh_statistics.statistics_refresh", fails)
    with pytest.raises(CommandError):
        call_command("refresh_statistics")


def test_the_beat_task_refreshes(stats_world):
    from insights.tasks import refresh_statistics

    rows = refresh_statistics.apply().get()
    assert rows == live_generation().rows > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_refreshes_at_once_leave_exactly_one_live_generation(owner, outsider, reviewer, reviewer_other_league,
                                                                 region_bureau, owner_org, outsider_org):
    build_stats_world(owner, outsider, reviewer, reviewer_other_league, owner_org, outsider_org)
    statistics_refresh(now=REFRESH_AT)
    expected = snapshot()
    barrier, errors = threading.Barrier(2), []

    def collect_then_wait(*, now):
        facts = statistics_collect(now=now)
        barrier.wait(timeout=30)  # both have counted; now both write and swap
        return facts

    def run():
        try:
            statistics_refresh(now=REFRESH_AT, collect=collect_then_wait)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    live = Generation.objects.get(status=Generation.Status.LIVE)
    assert snapshot() == expected
    assert Figure.objects.count() == live.rows
    assert Generation.objects.filter(status=Generation.Status.RETIRED).count() == 2
