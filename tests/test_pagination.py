"""The capped paginator: a LIMIT-ed count, and every page past the cap still reachable."""

import pytest

from dacr_site.pagination import MAX_PAGE, CappedPaginator
from traces.models import Solver

pytestmark = pytest.mark.django_db


@pytest.fixture
def solvers():
    Solver.objects.bulk_create(Solver(name=f"s{n:03d}", kind="imported") for n in range(55))
    return Solver.objects.order_by("name")


def _names(page) -> list[str]:
    return [solver.name for solver in page.object_list]


def test_under_the_cap_it_is_django_s_paginator(solvers):
    paginator = CappedPaginator(solvers, 10, cap=100)
    assert not paginator.capped
    assert (paginator.count, paginator.num_pages) == (55, 6)
    assert _names(paginator.get_page(99)) == ["s050", "s051", "s052", "s053", "s054"]


def test_past_the_cap_every_page_is_reachable_and_knows_whether_one_follows(solvers):
    paginator = CappedPaginator(solvers, 10, cap=20)
    assert paginator.capped
    assert paginator.count == 21  # "more than 20", not a full count
    fifth = paginator.get_page(5)
    assert _names(fifth) == [f"s{n:03d}" for n in range(40, 50)]
    assert fifth.has_next()
    assert fifth.next_page_number() == 6
    assert (fifth.start_index(), fifth.end_index()) == (41, 50)
    last = paginator.get_page("6")
    assert _names(last) == [f"s{n:03d}" for n in range(50, 55)]
    assert not last.has_next()
    assert last.has_previous()
    assert last.previous_page_number() == 5


@pytest.mark.parametrize("number", [7, 0, -1, "abc", "2.5", None, MAX_PAGE + 1, "9" * 30])
def test_a_page_that_is_not_there_falls_back_to_the_first(solvers, number):
    page = CappedPaginator(solvers, 10, cap=20).get_page(number)
    assert page.number == 1
    assert _names(page)[0] == "s000"
