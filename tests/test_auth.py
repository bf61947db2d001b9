"""Sign-in, throttling and server-side sessions (services/auth.py), with a controllable clock."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.errors import ConfigurationError
from assistant.services.auth import Account, Accounts, Sessions, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_accounts_check_every_account_and_never_match_empty_credentials() -> None:
    accounts = Accounts([Account("sw", "pw"), Account("admin", "a-long-password", admin=True)])
    assert accounts.check("sw", "pw") == Account("sw", "pw")
    assert accounts.check("admin", "a-long-password") is not None
    assert accounts.check("admin", "a-long-password", admin_only=True) is not None
    assert accounts.check("sw", "pw", admin_only=True) is None  # a practitioner cannot manage documents
    for user, password in (("sw", "PW"), ("SW", "pw"), ("", ""), ("admin", ""), ("nobody", "pw")):
        assert accounts.check(user, password) is None, (user, password)
    assert Accounts([Account("", ""), Account("x", "")]).any() is False


def test_accounts_from_settings_need_an_account_when_sign_in_is_required() -> None:
    with pytest.raises(ConfigurationError, match="ASSISTANT_LOGIN_USER"):
        Accounts.from_settings(Settings(require_login=True))
    found = Accounts.from_settings(Settings(admin_user="a", admin_password="b"))
    assert found.any(admin=True) and found.check("a", "b") is not None


def test_an_address_is_backed_off_after_repeated_failures_and_others_are_not() -> None:
    clock = Clock()
    throttle = Throttle(free_failures=5, clock=clock)
    for _ in range(5):
        assert throttle.wait_for("attacker") == 0
        throttle.failed("admin", "attacker")
    first = throttle.wait_for("attacker")
    assert first == pytest.approx(1.0)
    throttle.failed("admin", "attacker")
    assert throttle.wait_for("attacker") == pytest.approx(2.0)  # doubling
    for _ in range(20):
        throttle.failed("admin", "attacker")
    assert throttle.wait_for("attacker") == pytest.approx(900.0)  # capped at fifteen minutes
    # no global lock-out: the real administrator, from another address, may try at once
    assert throttle.wait_for("office") == 0
    # the window passes
    clock.now += 901
    assert throttle.wait_for("attacker") == 0


def test_an_account_under_attack_is_slowed_not_locked() -> None:
    clock = Clock()
    throttle = Throttle(account_free_failures=10, account_max_delay_s=10, clock=clock)
    for index in range(10):
        throttle.failed("Admin", f"address-{index}")
    assert throttle.delay_for("admin") > 0  # account names compared without case
    for index in range(40):
        throttle.failed("admin", f"other-{index}")
    assert 0 < throttle.delay_for("admin") <= 10
    assert throttle.delay_for("someone-else") == 0


def test_success_clears_the_address_record() -> None:
    throttle = Throttle(free_failures=2)
    throttle.failed("a", "here")
    throttle.failed("a", "here")
    assert throttle.wait_for("here") > 0
    throttle.succeeded("here")
    assert throttle.wait_for("here") == 0


def test_sessions_live_on_the_server_behind_a_signed_cookie() -> None:
    clock = Clock()
    sessions = Sessions("secret", idle_s=100, absolute_s=1000, admin_idle_s=50, clock=clock)
    session = sessions.new()
    cookie = sessions.cookie_value(session)
    assert session.id not in cookie or "." in cookie  # signed: the id alone is not a valid cookie
    assert sessions.from_cookie(cookie) is session
    assert sessions.from_cookie(session.id) is None
    assert sessions.from_cookie(cookie[:-2] + "xx") is None
    assert Sessions("other-secret", clock=clock).from_cookie(cookie) is None
    assert sessions.by_handle(session.handle) is session and session.handle != session.id

    # signing in replaces the id (no session fixation); the old cookie is dead
    signed = sessions.sign_in(session, "admin", admin=True)
    assert signed.id != session.id and sessions.from_cookie(cookie) is None
    assert sessions.is_admin(signed) and signed.user == "admin"
    clock.now += 60
    assert sessions.from_cookie(sessions.cookie_value(signed)) is signed
    assert not sessions.is_admin(signed)  # admin rights last two hours by default; fifty seconds here

    # idle and absolute expiry
    other = sessions.new()
    clock.now += 101
    assert sessions.from_cookie(sessions.cookie_value(other)) is None
    lasting = sessions.new()
    for _ in range(12):
        clock.now += 90
        sessions.from_cookie(sessions.cookie_value(lasting))
    assert sessions.from_cookie(sessions.cookie_value(lasting)) is None


def test_sessions_stay_bounded() -> None:
    sessions = Sessions(limit=100)
    for _ in range(500):
        sessions.new()
    assert len(sessions._sessions) <= 100
