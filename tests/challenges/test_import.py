"""Importing and exporting benchmarks through the services and management commands."""

import json

import pytest
from django.core.management import CommandError, call_command

from challenges import dacr_format as fmt
from challenges.models import BenchmarkImport, Challenge, Conflict, Fact, Question, Suite
from challenges.services import (
    ChallengeImmutableError,
    SuiteFrozenError,
    benchmark_import,
    benchmark_import_run,
    challenge_publish,
    challenge_update_document,
    suite_freeze,
)
from challenges.services.benchmark_import import BenchmarkImportError
from tests.factories import benchmark_dict, challenge_dict, import_challenges, write_json

pytestmark = pytest.mark.django_db


def row_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Challenge, Fact, Conflict, Question, Suite))


def test_importing_the_real_mini_file_gives_10_challenges_100_questions_17_conflicts(mini_path):
    call_command("import_dacr", str(mini_path))
    assert Challenge.objects.count() == 10
    assert Question.objects.count() == 100
    assert Conflict.objects.count() == 17
    suite = Suite.objects.get(name="dacr-bench-mini")
    assert suite.memberships.count() == 10
    engine = Challenge.objects.get(public_id="dacr-bench-00055")
    assert engine.split == "synthetic"
    assert engine.engine_seed == "315162854152001501857296811462525977818"
    assert Question.objects.filter(category="conflict_resolution").count() == 14
    assert all(c.is_published for c in Challenge.objects.all())


def test_reimport_creates_nothing_new(mini_path):
    call_command("import_dacr", str(mini_path))
    before = row_counts()
    call_command("import_dacr", str(mini_path), "--suite", "dacr-bench-mini")
    assert row_counts() == before


def test_export_then_reimport_gives_identical_challenges(mini_path, tmp_path):
    call_command("import_dacr", str(mini_path), "--suite", "mini")
    out = tmp_path / "export.json"
    call_command("export_dacr", "--suite", "mini", "--out", str(out))
    exported = fmt.parse_benchmark(out.read_bytes())
    original = fmt.parse_benchmark(mini_path.read_bytes())
    assert exported.challenges == original.challenges
    source = json.loads(mini_path.read_text(encoding="utf-8"))["challenges"]
    written = json.loads(out.read_text(encoding="utf-8"))["challenges"]
    for before, after in zip(source, written, strict=True):
        assert after["document"]["text"] == before["document"]["text"]
        assert after["split"] in ("real", "synthetic")
        after.pop("split")
        assert after == before
    # Re-importing the export is a no-op: same ids, same content hashes.
    before = row_counts()
    call_command("import_dacr", str(out), "--suite", "mini")
    assert row_counts() == before


def test_a_truncated_file_is_refused_and_writes_nothing(mini_path, tmp_path):
    raw = mini_path.read_bytes()
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CommandError, match="truncated"):
        call_command("import_dacr", str(truncated))
    assert row_counts() == (0, 0, 0, 0, 0)


def test_a_file_bad_in_its_last_challenge_writes_nothing(tmp_path):
    broken = challenge_dict("dacr-bad-2")
    broken["questions"][0]["targetsTrap"] = "t404"
    path = write_json(tmp_path / "b.json", benchmark_dict(challenge_dict("dacr-ok-1"), broken))
    with pytest.raises(CommandError, match=r"dacr-bad-2, question q01: targetsTrap 't404'"):
        call_command("import_dacr", str(path))
    assert row_counts() == (0, 0, 0, 0, 0)


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.DACR_MAX_BENCHMARK_BYTES = 1000
    path = write_json(tmp_path / "big.json", benchmark_dict())
    with pytest.raises(CommandError, match=r"the limit is 0\.0 MB"):
        call_command("import_dacr", str(path))
    assert row_counts() == (0, 0, 0, 0, 0)


def test_changed_content_under_an_existing_id_is_refused():
    import_challenges(challenge_dict("dacr-c-1"))
    changed = challenge_dict("dacr-c-1")
    changed["questions"][0]["goldAnswer"] = "43 percent"
    before = row_counts()
    with pytest.raises(BenchmarkImportError, match=r"dacr-c-1 v1\.0 already exists with different"):
        import_challenges(changed, challenge_dict("dacr-c-2"))
    assert row_counts() == before
    # The same content as a new version is fine.
    changed["version"] = "1.1"
    import_challenges(changed)
    assert Challenge.objects.filter(public_id="dacr-c-1").count() == 2


def test_a_frozen_suite_takes_no_new_challenges():
    import_challenges(challenge_dict("dacr-f-1"), suite="frozen")
    suite_freeze(suite=Suite.objects.get(name="frozen"))
    import_challenges(challenge_dict("dacr-f-1"), suite="frozen")  # unchanged: fine
    with pytest.raises(SuiteFrozenError, match="frozen"):
        import_challenges(challenge_dict("dacr-f-2"), suite="frozen")
    assert not Challenge.objects.filter(public_id="dacr-f-2").exists()


def test_conflict_rows_link_their_fact_and_know_where_the_subordinate_sits():
    import_challenges(challenge_dict("dacr-p-1"))
    conflict = Conflict.objects.get()
    assert conflict.target_fact.fact_id == "f001"
    assert conflict.subordinate_position == "after"
    question = Question.objects.get(question_id="q01")
    assert question.conflict == conflict
    assert question.category == "conflict_resolution"


def test_services_refuse_to_edit_a_published_challenge():
    import_challenges(challenge_dict("dacr-e-1"))
    challenge = Challenge.objects.get()
    with pytest.raises(ChallengeImmutableError, match="is published"):
        challenge_update_document(challenge=challenge, document_text="new text")
    with pytest.raises(ChallengeImmutableError):
        challenge_publish(challenge=challenge)


def test_a_draft_can_change_until_it_is_published():
    import_challenges(challenge_dict("dacr-d-1"))
    Challenge.objects.update(status="draft")
    draft = Challenge.objects.get()
    old_hash = draft.content_hash
    edited = challenge_update_document(challenge=draft, document_text="Edited.\n\nText.")
    assert edited.content_hash != old_hash
    assert edited.paragraph_count == 2
    published = challenge_publish(challenge=edited)
    assert published.status == "published"
    with pytest.raises(ChallengeImmutableError):
        challenge_update_document(challenge=published, document_text="again")


def test_export_of_an_unknown_suite_names_the_existing_ones(tmp_path):
    import_challenges(challenge_dict(), suite="alpha")
    with pytest.raises(CommandError, match=r"no suite named 'beta' \(suites: alpha\)"):
        call_command("export_dacr", "--suite", "beta", "--out", str(tmp_path / "x.json"))


def test_a_web_import_that_keeps_killing_its_worker_is_stopped(settings, tmp_path):
    settings.DACR_TASK_MAX_DELIVERIES = 2
    path = write_json(tmp_path / "ok.json", benchmark_dict())
    job = BenchmarkImport.objects.create(
        file=str(path), original_name="ok.json", size_bytes=path.stat().st_size, deliveries=2
    )
    job = benchmark_import_run(import_id=job.pk)
    assert job.status == "failed"
    assert job.error == "stopped after 2 attempts: the import kept killing its worker"
    assert Challenge.objects.count() == 0


def test_a_finished_web_import_is_not_run_again(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    path = write_json(tmp_path / "ok.json", benchmark_dict())
    job = BenchmarkImport.objects.create(
        file="ok.json", original_name="ok.json", size_bytes=path.stat().st_size
    )
    first = benchmark_import_run(import_id=job.pk)
    assert (first.status, first.challenges_created, first.progress_done) == ("succeeded", 1, 1)
    again = benchmark_import_run(import_id=job.pk)
    assert again.deliveries == 1
    assert Challenge.objects.count() == 1


def test_benchmark_import_with_empty_suite_name_makes_no_suite():
    benchmark = fmt.benchmark_from_dict(benchmark_dict(challenge_dict("n-1")))
    summary = benchmark_import(benchmark=benchmark, suite_name="")
    assert summary.created == 1
    assert Suite.objects.count() == 0
