"""Roles: groups from a migration, the createuser command, and the seed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from dacr_site.roles import Role, user_has_role, user_role

pytestmark = pytest.mark.django_db


def test_the_role_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"viewer", "annotator", "admin"}


def test_createuser_gives_exactly_one_role_and_a_token(monkeypatch, capsys):
    monkeypatch.setenv("DACR_PASSWORD", "a-long-unusual-passphrase-77")
    call_command("createuser", "kim", "--role", "annotator", "--token")
    user = get_user_model().objects.get(username="kim")
    assert user_role(user) == Role.ANNOTATOR
    assert user.check_password("a-long-unusual-passphrase-77")
    assert Token.objects.get(user=user).key in capsys.readouterr().out
    call_command("createuser", "kim", "--role", "viewer")
    user = get_user_model().objects.get(username="kim")
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["viewer"]
    assert not user_has_role(get_user_model().objects.get(username="kim"), Role.ANNOTATOR)


def test_createuser_refuses_a_weak_password_in_one_line(monkeypatch):
    monkeypatch.setenv("DACR_PASSWORD", "123")
    with pytest.raises(CommandError, match="password rejected"):
        call_command("createuser", "weak", "--role", "viewer")


def test_createuser_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("createuser", "x", "--role", "overlord")


def test_roles_nest_and_admins_can_use_the_django_admin(monkeypatch):
    call_command("createuser", "root", "--role", "admin")
    admin = get_user_model().objects.get(username="root")
    assert admin.is_staff
    assert user_has_role(admin, Role.VIEWER)
    assert user_has_role(admin, Role.ANNOTATOR)


def test_seed_demo_is_idempotent_and_logs_in(client):
    call_command("seed_demo")
    call_command("seed_demo")
    from challenges.models import Challenge, Suite

    assert Suite.objects.get(name="demo").memberships.count() == 2
    from evaluation.models import EvalRun
    from traces.models import Trace, Verdict

    assert Trace.objects.filter(solver__name="demo-noisy-oracle").count() == 2
    # The synthetic demo workspace: a suite over every domain and its validity report, and
    # evaluation runs — the lexical baseline on both suites, the demo predictions on the
    # demo suite — once, however often seed_demo runs.
    synthetic = Suite.objects.get(name="demo-synthetic")
    assert synthetic.memberships.count() == 64
    assert Challenge.objects.count() == 2 + 64
    assert len(set(synthetic.challenges.values_list("domain", flat=True))) == 8
    assert Trace.objects.filter(solver__name="lexical").count() == 2 + 64
    assert EvalRun.objects.filter(status="succeeded").count() == 3
    # demo solver (2) + lexical (2 + 64) + demo predictions (2) traces, 10 questions, 2 modes
    assert Verdict.objects.count() == (2 + 66 + 2) * 10 * 2
    assert synthetic.validity_reports.count() == 1
    assert synthetic.validity_reports.get().targets_met
    assert client.login(username="demo-viewer", password="dacr-demo-2026")
