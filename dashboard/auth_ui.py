"""Sign-in and the current actor.

`sign_in_gate()` runs first in app.py: on a store with users it shows only the sign-in
page until someone signs in; on a store with no users (a fresh one) everyone is let in
as an admin and the sidebar says so. Only the user name is kept in the session: the
role is read from the users table on every run, so a removed or changed user loses
access at once, and every service function checks the role again when it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import data
from dashboard.i18n import Labels, language
from gendan import auth
from gendan.records import ROLE_CODES, Role

SESSION_USER = "gendan_user"
OPEN_ACTOR = "anonymous"

labels = Labels(
    {
        "sign_in": ("Sign in", "登录"),
        "username": ("User name", "用户名"),
        "password": ("Password", "密码"),
        "wrong": ("Unknown user name or wrong password.", "用户名或密码错误。"),
        "signed_in_as": ("Signed in as **{name}** ({role})", "已登录：**{name}**（{role}）"),
        "sign_out": ("Sign out", "退出登录"),
        "open_store": (
            "No users yet: everyone can see and change everything. "
            "Add an admin on the server with `gendan user add NAME --role admin`.",
            "尚未设置用户：任何人都可以查看和修改所有数据。"
            "请在服务器上运行 `gendan user add 用户名 --role admin` 添加管理员。",
        ),
        "needs_role": ("This page needs the {role} role.", "此页面需要“{role}”角色。"),
    }
)


@dataclass(frozen=True)
class Actor:
    """Who is using the dashboard, with their role as the users table says now."""

    username: str
    role: Role
    open_store: bool = False  # no users: no sign-in, everyone is an admin

    def can(self, needed: Role) -> bool:
        return self.role.allows(needed)


def role_name(role: Role) -> str:
    return ROLE_CODES[role] if language() == "zh" else str(role)


def current_actor() -> Actor | None:
    """The signed-in user (or everyone, on an open store); None when nobody is signed in."""
    with data.cursor() as con:
        if not auth.has_users(con):
            return Actor(OPEN_ACTOR, Role.ADMIN, open_store=True)
        name = st.session_state.get(SESSION_USER)
        role = auth.user_role(con, name) if name else None
    if role is None:
        st.session_state.pop(SESSION_USER, None)
        return None
    return Actor(name, role)


def _sign_in() -> None:
    name, password = st.session_state.get("sign_in.username") or "", st.session_state.get("sign_in.password") or ""
    user = auth.authenticate(data.cursor(), name, password)
    st.session_state["sign_in.password"] = ""
    st.session_state["sign_in.failed"] = user is None
    if user is not None:
        st.session_state[SESSION_USER] = user.username


def sign_in_page() -> None:
    """The sign-in form: user name and password, checked against the argon2id hashes."""
    st.title(labels("sign_in"))
    with st.form("sign_in"):
        st.text_input(labels("username"), key="sign_in.username")
        st.text_input(labels("password"), type="password", key="sign_in.password")
        st.form_submit_button(labels("sign_in"), type="primary", on_click=_sign_in, key="sign_in.submit")
    if st.session_state.get("sign_in.failed"):
        st.error(labels("wrong"))


def _sign_out() -> None:
    st.session_state.pop(SESSION_USER, None)


def sign_in_gate(pages) -> tuple[Actor, StreamlitPage]:
    """Call first in app.py with its pages: the actor and the page to run; the sidebar shows who.

    The pages are registered even before sign-in, so a bookmarked page URL shows the
    sign-in form and, once signed in, opens that page; until then no page runs.
    """
    actor = current_actor()
    page = st.navigation(pages, position="sidebar" if actor else "hidden")
    if actor is None:
        sign_in_page()
        st.stop()
    with st.sidebar:
        if actor.open_store:
            st.warning(labels("open_store"))
        else:
            st.markdown(labels("signed_in_as", name=actor.username, role=role_name(actor.role)))
            st.button(labels("sign_out"), on_click=_sign_out, key="sign_out")
    return actor, page


def require_role(needed: Role) -> Actor:
    """For a page only some roles may use (the Data page: admin): the actor, or a notice and stop."""
    actor = current_actor()
    if actor is None or not actor.can(needed):
        st.warning(labels("needs_role", role=role_name(needed)))
        st.stop()
    return actor
