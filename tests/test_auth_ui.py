"""The dashboard's sign-in gate: an open store says so, a store with users lets nobody past without a password."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from gendan import auth
from test_records_support import build_factory, clone


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_factory(tmp_path_factory.mktemp("factory"))


@pytest.fixture
def factory(template, tmp_path, monkeypatch):
    store = clone(template, tmp_path)
    monkeypatch.setenv("GENDAN_DB", str(store.path))
    return store


def gate_app() -> None:
    """app.py's first step, then a stand-in for the pages."""
    import streamlit as st

    from dashboard.auth_ui import sign_in_gate

    actor, _ = sign_in_gate([st.Page(lambda: None, title="pages")])
    st.markdown(f"inside as {actor.username} ({actor.role})")


def start() -> AppTest:
    app = AppTest.from_function(gate_app, default_timeout=30)
    app.session_state["lang"] = "en"
    return app.run()


def inside(app: AppTest) -> list[str]:
    return [block.value for block in app.markdown if block.value.startswith("inside as")]


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="sign_in.username").input(name)
    app.text_input(key="sign_in.password").input(password)
    return app.button(key="sign_in.submit").click().run()


def test_a_store_without_users_is_open_and_says_so(store, monkeypatch):
    monkeypatch.setenv("GENDAN_DB", str(store.path))
    app = start()
    assert inside(app) == ["inside as anonymous (admin)"]
    assert "gendan user add NAME --role admin" in app.sidebar.warning[0].value
    assert app.get("form") == []


def test_with_users_nothing_shows_until_the_right_password(factory):
    app = start()
    assert inside(app) == []
    assert app.title[0].value == "Sign in"

    sign_in(app, "editor", "wrong-password")
    assert inside(app) == []
    assert app.error[0].value == "Unknown user name or wrong password."
    assert app.text_input(key="sign_in.password").value == ""  # never kept

    sign_in(app, "Editor", auth.DEMO_PASSWORDS["editor"])
    assert inside(app) == ["inside as editor (editor)"]
    assert app.sidebar.markdown[0].value == "Signed in as **editor** (editor)"

    app.sidebar.button(key="sign_out").click().run()
    assert inside(app) == []
    assert app.title[0].value == "Sign in"


def test_a_user_removed_while_signed_in_is_signed_out_on_the_next_run(factory):
    app = start()
    sign_in(app, "viewer", auth.DEMO_PASSWORDS["viewer"])
    assert inside(app) == ["inside as viewer (viewer)"]
    auth.remove_user(factory, "admin", {"username": "viewer"})
    app.run()
    assert inside(app) == []
