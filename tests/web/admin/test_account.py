"""The account page in the browser: keys and app passwords shown once and working, other
sessions signed out, the password changed, two-factor sign-in turned on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pyotp
from playwright.sync_api import Page, expect

from tests.web.admin.conftest import open_signed_in
from tests.web.conftest import WebServer

Shot = Callable[[Page, str], Path]


def test_access_key_and_app_password_are_shown_once_and_work(
    page: Page, web_server: WebServer, admin_token: str, screenshot: Shot
) -> None:
    username, password = web_server.add_user(admin_token)
    open_signed_in(page, web_server, username, password, "/account")
    keys = page.locator("section", has_text="Personal access keys")
    keys.get_by_label("Name").fill("backup script")
    keys.get_by_role("button", name="Create key").click()
    secret = keys.locator(".shown-once code.secret").inner_text()
    expect(keys.get_by_role("cell", name="backup script")).to_be_visible()
    assert web_server.api("GET", "/api/v1/users/me", secret).json()["username"] == username

    apps = page.locator("section", has_text="App passwords")
    apps.get_by_label("App name").fill("phone")
    apps.get_by_role("button", name="Create app password").click()
    app_password = apps.locator(".shown-once code.secret").inner_text()
    salt = "c0ffee"
    token = hashlib.md5((app_password + salt).encode()).hexdigest()
    ping = web_server.api(
        "GET", "/rest/ping.view", params={"u": username, "t": token, "s": salt, "v": "1.16.1",
                                          "c": "test", "f": "json"},
    )  # fmt: skip
    assert ping.json()["subsonic-response"]["status"] == "ok", ping.text
    screenshot(page, "account-keys")

    # Shown once: a reload lists them by prefix only.
    page.reload()
    expect(page.locator("main h1")).to_have_text("Your account")
    expect(page.get_by_role("cell", name="backup script")).to_be_visible()
    assert secret not in page.content() and app_password not in page.content()

    keys = page.locator("section", has_text="Personal access keys")
    page.once("dialog", lambda dialog: dialog.accept())
    keys.get_by_role("button", name="Revoke").click()
    expect(keys.get_by_text("No access keys.")).to_be_visible()
    assert web_server.api("GET", "/api/v1/users/me", secret).status_code == 401


def test_sign_out_other_sessions_then_change_password_and_turn_on_two_factor(
    page: Page, web_server: WebServer, admin_token: str, screenshot: Shot
) -> None:
    username, password = web_server.add_user(admin_token)
    elsewhere = web_server.token(username, password)
    open_signed_in(page, web_server, username, password, "/account")
    sessions = page.locator("section", has_text="Sessions")
    expect(sessions.get_by_role("row")).to_have_count(3)  # header, this browser, elsewhere
    sessions.get_by_role("button", name="Sign out all other sessions").click()
    expect(sessions.get_by_role("status")).to_have_text("1 other session(s) signed out.")
    expect(sessions.get_by_role("row")).to_have_count(2)
    assert web_server.api("GET", "/api/v1/users/me", elsewhere).status_code == 401

    section = page.locator("section", has_text="Password")
    section.get_by_label("Current password").fill(password)
    section.get_by_label("New password").fill("a-new-password-2")
    section.get_by_role("button", name="Change password").click()
    expect(section.get_by_role("status")).to_contain_text("Password changed.")
    web_server.token(username, "a-new-password-2")

    two_factor = page.locator("section", has_text="Two-factor sign-in")
    two_factor.get_by_role("button", name="Set up two-factor sign-in").click()
    key = two_factor.locator("code.secret").first.inner_text()
    two_factor.get_by_label("Code").fill(pyotp.TOTP(key).now())
    two_factor.get_by_role("button", name="Turn on").click()
    expect(two_factor.get_by_text("Recovery codes")).to_be_visible()
    screenshot(page, "account-two-factor")
    login = web_server.api(
        "POST", "/api/v1/auth/login", json={"username": username, "password": "a-new-password-2"}
    )
    assert login.status_code == 401 and login.json()["second_factor_required"] is True
