"""Users, roles and sign-in: argon2id hashes, the rules that keep user management from locking itself out,
and the `gendan user` commands."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gendan import auth, records
from gendan.cli import main
from gendan.records import Conflict, InvalidInput, NotAllowed, Role
from test_records_support import app_counts, reader


def gendan(store, *arguments, user=None, input=None):
    command = [*arguments, "--db", str(store.path)] + (["--user", user] if user else [])
    return CliRunner().invoke(main, command, input=input, env={"GENDAN_USER": None})


def test_passwords_are_stored_as_argon2id_hashes_and_checked(store):
    auth.add_user(store, "root", {"username": "Wang.Li", "role": "admin", "password": "correct horse"})
    con = reader(store)
    [(stored,)] = con.execute("select password_hash from app.users").fetchall()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert auth.authenticate(con, " wang.li ", "correct horse").role == Role.ADMIN
    assert auth.authenticate(con, "wang.li", "correct horsE") is None
    assert auth.authenticate(con, "nobody", "correct horse") is None


def test_the_first_user_must_be_an_admin_and_then_only_admins_add_users(store):
    with pytest.raises(InvalidInput, match="the first user must be an admin"):
        auth.add_user(store, "root", {"username": "lina", "role": "editor", "password": "12345678"})
    auth.add_user(store, "root", {"username": "boss", "role": "管理员", "password": "12345678"})
    with pytest.raises(NotAllowed, match="'root' is not a user of this store"):
        auth.add_user(store, "root", {"username": "lina", "role": "editor", "password": "12345678"})
    auth.add_user(store, "boss", {"username": "lina", "role": "editor", "password": "12345678"})
    with pytest.raises(NotAllowed, match="lina has the editor role: changing this needs the admin role"):
        auth.add_user(store, "lina", {"username": "zhang", "role": "viewer", "password": "12345678"})
    with pytest.raises(InvalidInput, match="username: already a user"):
        auth.add_user(store, "boss", {"username": "LINA", "role": "viewer", "password": "12345678"})
    assert [(user.username, user.role, user.created_by) for user in auth.list_users(reader(store))] == [
        ("boss", Role.ADMIN, "root"),
        ("lina", Role.EDITOR, "boss"),
    ]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"username": "wang li", "role": "admin", "password": "12345678"}, "username",
         "use up to 64 letters, digits, '.', '-' or '_' (no spaces)"),
        ({"username": "wangli", "role": "boss", "password": "12345678"}, "role",
         "unknown role 'boss'; use one of: viewer (只读), editor (编辑), admin (管理员)"),
        ({"username": "wangli", "role": "admin", "password": "short"}, "password", "at least 8 characters"),
        ({"username": "", "role": "admin", "password": "12345678"}, "username", "required"),
    ],
)  # fmt: skip
def test_bad_user_input_is_refused(store, values, field, message):
    with pytest.raises(InvalidInput) as refused:
        auth.add_user(store, "root", values)
    assert [(p.field, p.en) for p in refused.value.problems] == [(field, message)]
    assert app_counts(store)["users"] == 0


def test_the_last_admin_cannot_be_removed(store):
    auth.create_demo_users(store)
    with pytest.raises(Conflict, match="admin is the last admin"):
        auth.remove_user(store, "admin", {"username": "admin"})
    auth.remove_user(store, "admin", {"username": "viewer"})
    assert [user.username for user in auth.list_users(reader(store))] == ["admin", "editor"]
    history = records.record_history(reader(store), "user", "viewer")
    assert history.select("action", "field", "old_value", "new_value").rows() == [
        ("delete", "password", "(hidden)", None),
        ("delete", "role", "viewer", None),
        ("insert", "password", None, "(hidden)"),
        ("insert", "role", None, "viewer"),
    ]


def test_a_user_may_change_their_own_password_only_an_admin_anyone_elses(store):
    auth.create_demo_users(store)
    auth.set_password(store, "editor", {"username": "editor", "password": "new-password"})
    assert auth.authenticate(reader(store), "editor", "new-password") is not None
    assert auth.authenticate(reader(store), "editor", auth.DEMO_PASSWORDS["editor"]) is None
    with pytest.raises(NotAllowed, match="only an admin may set another user's password"):
        auth.set_password(store, "editor", {"username": "viewer", "password": "hijacked!"})
    auth.set_password(store, "admin", {"username": "viewer", "password": "reset-by-admin"})
    assert auth.authenticate(reader(store), "viewer", "reset-by-admin") is not None


def test_demo_users_have_the_documented_passwords_and_can_be_created_twice(store):
    auth.create_demo_users(store)
    auth.create_demo_users(store)
    con = reader(store)
    for role, password in auth.DEMO_PASSWORDS.items():
        assert auth.authenticate(con, role, password).role == Role(role)
    assert auth.DEMO_PASSWORDS == {"admin": "admin-demo", "editor": "editor-demo", "viewer": "viewer-demo"}


def test_user_commands(store):
    assert gendan(store, "user", "list").output.startswith("no users: the dashboard is open to everyone")
    first = gendan(store, "user", "add", "boss", "--role", "admin", "--password-stdin", user="root", input="boss-pass-1\n")
    assert first.output == "user boss added as admin\n"
    prompted = gendan(store, "user", "add", "lina", "--role", "editor", user="boss", input="lina-pass-1\nlina-pass-1\n")
    assert prompted.exit_code == 0, prompted.output
    refused = gendan(store, "user", "add", "zhang", "--role", "viewer", "--password-stdin", user="lina", input="zhang-pass\n")
    assert refused.exit_code == 1
    assert refused.stderr == "gendan: lina has the editor role: changing this needs the admin role\n"
    assert gendan(store, "user", "passwd", "lina", "--password-stdin", user="lina", input="lina-pass-2\n").exit_code == 0
    assert auth.authenticate(reader(store), "lina", "lina-pass-2") is not None
    assert gendan(store, "user", "remove", "lina", user="boss").output == "user lina removed\n"
    listed = gendan(store, "user", "list").output.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [["boss", "admin"]]
