"""Where highlighted statements sit is located once, after grading, and stored: a trace page
then reads it instead of searching the document."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from challenges import highlight
from challenges.models import Challenge, LocatedStatement
from challenges.services.locations import StoredLocator
from tests.factories import DOCUMENT, challenge_dict, import_challenges
from traces.services import (
    TraceInput,
    solver_get_or_create,
    traces_grade,
    traces_highlights_locate,
    traces_record,
)

pytestmark = pytest.mark.django_db

# Not verbatim: a dropped word and a changed one, so only the fuzzy level finds it.
FUZZY_CITATION = "Trial Alpha reached yield of 42.5 percent at the steady state"
ANSWERS = {
    "q01": {"answer": "42.5 percent", "citation": FUZZY_CITATION, "confidence": 0.9},
    "q02": {"answer": "12 hours", "citation": "Trial Beta ran for 12 hours", "confidence": 0.8},
    "q03": {"answer": "3", "citation": "a sentence that is nowhere in the report"},
}


@pytest.fixture
def challenge() -> Challenge:
    import_challenges(challenge_dict("dacr-loc-0001"), suite="loc")
    return Challenge.objects.get(public_id="dacr-loc-0001")


def _trace(challenge, answers=ANSWERS, solver="model-a"):
    (trace,) = traces_record(
        solver=solver_get_or_create(name=solver),
        attempts=[TraceInput(challenge=challenge, answers=answers)],
    )
    return trace


class _NoSearch:
    """Fails the test if the document is searched."""

    def __init__(self, monkeypatch):
        monkeypatch.setattr(highlight.DocumentIndex, "locate", self)

    def __call__(self, *args, **kwargs):
        raise AssertionError("the document was searched")


# --- the stored locator ----------------------------------------------------------------------


def test_stored_answers_equal_a_fresh_search_and_are_read_back_without_one(challenge, monkeypatch):
    index = highlight.DocumentIndex(DOCUMENT)
    quotes = [FUZZY_CITATION, "Trial Beta ran for 12 hours", "nowhere in this report at all"]
    locator = StoredLocator(challenge.pk, DOCUMENT)
    assert [locator(q) for q in quotes] == [index.locate(q) for q in quotes]
    assert locator(FUZZY_CITATION).method == "fuzzy"
    assert locator(quotes[2]) is None
    with_options = locator("38 percent", near=10, avoid=[(0, 5)])
    assert with_options == index.locate("38 percent", near=10, avoid=[(0, 5)])
    assert locator.searched == 4
    assert locator.save() == 4
    assert locator.save() == 0  # nothing new since
    assert LocatedStatement.objects.filter(challenge=challenge).count() == 4

    expected = [index.locate(q) for q in quotes]
    _NoSearch(monkeypatch)
    again = StoredLocator(challenge.pk, DOCUMENT)
    again.prefetch(quotes)  # one query reads these three and every answer with options
    assert [again(q) for q in quotes] == expected
    assert again("38 percent", near=10, avoid=[(0, 5)]) == with_options
    assert again.searched == 0


def test_blank_text_is_never_searched_nor_stored(challenge, monkeypatch):
    _NoSearch(monkeypatch)
    locator = StoredLocator(challenge.pk, DOCUMENT)
    assert locator("") is None
    assert locator("   \n") is None
    assert StoredLocator(challenge.pk, "")("anything at all here") is None
    assert locator.save() == 0


def test_a_changed_document_or_other_options_miss_the_stored_answer(challenge):
    first = StoredLocator(challenge.pk, DOCUMENT)
    first("Trial Beta ran for 12 hours")
    first.save()
    edited = StoredLocator(challenge.pk, "Preface.\n\n" + DOCUMENT)
    assert edited("Trial Beta ran for 12 hours").start == first(
        "Trial Beta ran for 12 hours"
    ).start + len("Preface.\n\n")
    assert edited.searched == 1
    elsewhere = StoredLocator(challenge.pk, DOCUMENT)
    elsewhere("Trial Beta ran for 12 hours", near=0)
    assert elsewhere.searched == 1


def test_a_concurrent_store_of_the_same_answer_is_harmless(challenge):
    one, two = StoredLocator(challenge.pk, DOCUMENT), StoredLocator(challenge.pk, DOCUMENT)
    assert one(FUZZY_CITATION) == two(FUZZY_CITATION)
    one.save()
    two.save()  # the row exists: ignored, not an error
    assert LocatedStatement.objects.filter(challenge=challenge).count() == 1


# --- after grading, the page does not search ---------------------------------------------------


def test_grading_stores_every_location_its_trace_page_highlights(
    challenge, viewer_client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.DACR_LOCATE_AFTER_GRADING = True
    trace = _trace(challenge)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        traces_grade(traces=[trace])
    assert "enqueue" in [getattr(callback, "__name__", "") for callback in callbacks]
    assert LocatedStatement.objects.filter(challenge=challenge).exists()

    _NoSearch(monkeypatch)
    cache.clear()
    response = viewer_client.get(reverse("traces:trace-detail", args=[trace.pk]))
    assert response.status_code == 200
    document = response.context["document"]
    assert document.located("citation") == 2  # the fuzzy one and the verbatim one
    assert document.located("authoritative") == document.located("subordinate") == 1
    assert document.located("evidence") == 2
    assert [p.text for p in document.unlocated] == [ANSWERS["q03"]["citation"]]
    assert 'class="hl hl--citation' in response.content.decode()


def test_with_the_setting_off_grading_queues_nothing(
    challenge, settings, django_capture_on_commit_callbacks
):
    settings.DACR_LOCATE_AFTER_GRADING = False
    trace = _trace(challenge)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        traces_grade(traces=[trace])
    assert not LocatedStatement.objects.exists()
    assert "enqueue" not in [getattr(callback, "__name__", "") for callback in callbacks]


def test_locating_again_searches_nothing_and_unknown_traces_are_ignored(challenge):
    first = _trace(challenge)
    second = _trace(challenge, solver="model-b")
    traces_grade(traces=[first, second])
    report = traces_highlights_locate(trace_ids=[first.pk, second.pk, 10_000_000])
    assert report.challenges == 1
    assert report.searched > 0
    assert traces_highlights_locate(trace_ids=[first.pk, second.pk]).searched == 0
    empty = traces_highlights_locate(trace_ids=[10_000_000])
    assert (empty.challenges, empty.searched) == (0, 0)


def test_a_page_whose_locations_were_never_stored_locates_and_stores_them(
    challenge, viewer_client, monkeypatch
):
    trace = _trace(challenge)
    traces_grade(traces=[trace])  # no commit in this test: grading's task has not run
    assert not LocatedStatement.objects.filter(challenge=challenge).exists()
    first = viewer_client.get(reverse("traces:trace-detail", args=[trace.pk]))
    assert first.context["document"].located("citation") == 2
    assert LocatedStatement.objects.filter(challenge=challenge).exists()

    _NoSearch(monkeypatch)
    cache.clear()
    again = viewer_client.get(reverse("traces:trace-detail", args=[trace.pk]))
    assert again.context["document"].summary == first.context["document"].summary


def test_the_challenge_page_reads_its_conflict_locations_from_the_store(
    challenge, viewer_client, monkeypatch
):
    url = reverse("challenges:challenge-detail", args=[challenge.public_id])
    first = viewer_client.get(url).context["document"]
    assert first.located("authoritative") == first.located("subordinate") == 1
    _NoSearch(monkeypatch)
    assert viewer_client.get(url).context["document"] == first


# --- the backfill command --------------------------------------------------------------------


def test_the_command_stores_locations_for_traces_graded_before(challenge):
    trace = _trace(challenge)
    traces_grade(traces=[trace])
    out = StringIO()
    call_command("locate_highlights", "--suite", "loc", stdout=out)
    assert out.getvalue().startswith("1 challenges: ")
    assert LocatedStatement.objects.filter(challenge=challenge).exists()
    out = StringIO()
    call_command("locate_highlights", "--solver", "model-a", stdout=out)
    assert "0 statements located" in out.getvalue()


@pytest.mark.parametrize(
    ("option", "message"),
    [("--suite", "--suite: no suite named 'nope'"), ("--solver", "--solver: no solver named")],
)
def test_the_command_names_an_unknown_suite_or_solver(option, message):
    with pytest.raises(CommandError, match=message):
        call_command("locate_highlights", option, "nope")
