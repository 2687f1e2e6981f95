"""A draw recorded before the compact population and the risk-facts table still verifies (一致) after them.

The fixture is a real draw: `campaign_draw` on a PostgreSQL database migrated to main's schema (reviews
0001_initial, population stored as a jsonb list), over the bench data with late-filing exceptions, late reports
and roster anomalies (487 trainings of one county, 30 drawn by organiser kind, risk-weighted), dumped as the draw
row's columns, the campaign's seed commitment and the stored selections' filing numbers. Here the row is put back
into a database at reviews 0001, the migrations are run forward (0002 converts the population), and
verify_draw recomputes it.
"""

import gzip
import json
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from filings.models import TrainingPlan
from jurisdiction.models import Division
from reviews.models import SpotCheckDraw, SpotCheckSelection
from reviews.spotchecks import algorithm, draws
from tests.filings.conftest import NOW, TEACHERS, plan_data

RECORDED = Path(__file__).parent / "fixtures" / "draw_recorded_before_compact_population.json.gz"
BEFORE = [("reviews", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draw_recorded_on_mains_schema_verifies_after_the_migration(inspector, owner, capsys):
    from filings import services as filing_services

    recorded = json.loads(gzip.decompress(RECORDED.read_bytes()))
    campaign, _ = draws.campaign_create(actor=inspector, seed=recorded["seed"], data={
        "name": "录制抽取", "division": Division.objects.get(code="150000"), "year": 2026, "sample_size": 30})
    assert campaign.seed_commitment == recorded["campaign_seed_commitment"]

    old = migrate(BEFORE).get_model("reviews", "SpotCheckDraw")
    old.objects.create(campaign_id=campaign.pk, drawn_by_id=inspector.pk, **{f: recorded[f] for f in (
        "number", "algorithm_version", "parameters", "population", "population_hash", "excluded", "seed",
        "seed_commitment", "selection", "selection_hash", "reason", "superseded")})
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    draw = SpotCheckDraw.objects.get(campaign=campaign)
    assert draw.population_size == len(recorded["population"]) == 487
    assert draw.population == recorded["population"]
    assert algorithm.sha256_hex(zlib.decompress(bytes(draw.population_data))) == recorded["population_hash"]
    risks = {item["id"]: item["risk"] for item in recorded["population"]}
    for item, filing_no in zip(recorded["selection"], recorded["selected_filing_numbers"], strict=True):
        plan = filing_services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
        TrainingPlan.objects.filter(pk=plan.pk).update(filing_no=filing_no)
        SpotCheckSelection.objects.create(draw=draw, plan_id=plan.pk, stratum=item["stratum"], part=item["part"],
                                          risk=risks[item["id"]], rank=item["rank"])

    call_command("verify_draw", str(campaign.pk))
    out = capsys.readouterr().out
    assert f"第1次抽取（spotcheck-draw/1，总体 {recorded['population_hash']}）：一致" in out
    assert "复算结果与记录一致" in out
