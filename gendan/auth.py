"""Users, roles and sign-in.

Users live in the app file (`users`), passwords hashed with argon2id (argon2-cffi's
recommended parameters). Roles: viewer (reads), editor (reads and updates records),
admin (also loads data and manages users). A store with no users is open: anyone may
do anything, and the dashboard says so. The first user must be an admin, and the last
admin cannot be removed, so user management can never lock itself out.

Writes go through `gendan.records.changing` (lock, role check, audit), like every
other record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, BeforeValidator, Field

from gendan.records import (
    ROLE_CODES,
    Conflict,
    InvalidInput,
    NotAllowed,
    Problem,
    Role,
    Saved,
    bilingual_error,
    code_field,
    InputModel,
    changing,
    parse,
    role_in_file,
    username,
)
from warehouse.store import Store

HASHER = PasswordHasher()  # argon2id
DEMO_PASSWORDS = {"admin": "admin-demo", "editor": "editor-demo", "viewer": "viewer-demo"}
HIDDEN = "(hidden)"


def _name(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = username(value)
    if not value:
        return None
    if not re.fullmatch(r"[\w.-]{1,64}", value):
        raise bilingual_error(
            "use up to 64 letters, digits, '.', '-' or '_' (no spaces)", "最多64个字母、数字、“.”、“-”或“_”（不能有空格）"
        )
    return value


UserName = Annotated[str, BeforeValidator(_name)]
Password = Annotated[str, Field(min_length=8, max_length=256)]


class NewUser(InputModel):
    username: UserName
    role: Annotated[str, code_field("role", "角色", ROLE_CODES)]
    password: Password


class UserRef(InputModel):
    username: UserName


class NewPassword(InputModel):
    username: UserName
    password: Password


class User(BaseModel):
    username: str
    role: Role
    created_at: dt.datetime
    created_by: str


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def add_user(store: Store, actor: str, values: Mapping | NewUser) -> Saved:
    """Add a user (admin; anyone while the store has no users, and then the first user must be an admin)."""
    data = parse(NewUser, values)
    password_hash = hash_password(data.password)  # slow on purpose: outside the lock
    with changing(store, actor, Role.ADMIN) as change:
        exists = change.con.execute("select count(*) from users where username = $name", {"name": data.username})
        if exists.fetchone()[0]:
            raise InvalidInput([Problem("username", "already a user", "用户已存在")])
        if not change.con.execute("select count(*) from users").fetchone()[0] and data.role != Role.ADMIN:
            raise InvalidInput([Problem("role", "the first user must be an admin", "第一个用户必须是管理员")])
        change.con.execute(
            "insert into users values ($name, $role, $hash, $at, $actor, 1)",
            {"name": data.username, "role": data.role, "hash": password_hash, "at": change.at, "actor": change.actor},
        )
        change.audit("user", data.username, ("user", data.username), None, {"role": data.role, "password": HIDDEN})
    return Saved(
        "user", data.username, 1, f"user {data.username} added as {data.role}",
        f"用户 {data.username} 已添加，角色：{ROLE_CODES[data.role]}",
    )  # fmt: skip


def remove_user(store: Store, actor: str, values: Mapping | UserRef) -> Saved:
    """Remove a user (admin); the last admin cannot be removed."""
    name = parse(UserRef, values).username
    with changing(store, actor, Role.ADMIN) as change:
        row = change.con.execute("select role from users where username = $name", {"name": name}).fetchone()
        if row is None:
            raise InvalidInput([Problem("username", f"there is no user {name}", f"没有用户 {name}")])
        admins = change.con.execute("select count(*) from users where role = 'admin'").fetchone()[0]
        if row[0] == Role.ADMIN and admins == 1:
            raise Conflict([Problem("username", f"{name} is the last admin", f"{name} 是最后一个管理员，不能删除")])
        change.con.execute("delete from users where username = $name", {"name": name})
        change.audit("user", name, ("user", name), {"role": row[0], "password": HIDDEN}, None)
    return Saved("user", name, 0, f"user {name} removed", f"用户 {name} 已删除")


def set_password(store: Store, actor: str, values: Mapping | NewPassword) -> Saved:
    """Set a user's password (admin, or the user themself)."""
    data = parse(NewPassword, values)
    password_hash = hash_password(data.password)
    with changing(store, actor, Role.VIEWER) as change:
        if change.actor != data.username and not change.role.allows(Role.ADMIN):
            raise NotAllowed(
                [Problem(None, "only an admin may set another user's password", "只有管理员可以修改其他用户的密码")]
            )
        version = change.con.execute(
            "update users set password_hash = $hash, version = version + 1 where username = $name returning version",
            {"hash": password_hash, "name": data.username},
        ).fetchone()
        if version is None:
            raise InvalidInput([Problem("username", f"there is no user {data.username}", f"没有用户 {data.username}")])
        change.audit("user", data.username, ("user", data.username), {"password": HIDDEN}, {"password": "(changed)"})
    return Saved("user", data.username, version[0], f"password of {data.username} changed", f"{data.username} 的密码已修改")


def create_demo_users(store: Store) -> None:
    """One account per role, named after it, with the passwords of docs/updates.md (skips existing ones)."""
    for role, password in DEMO_PASSWORDS.items():  # admin first: the first user must be an admin
        try:
            add_user(store, "admin", {"username": role, "role": role, "password": password})
        except InvalidInput as refused:
            if refused.problems[0].field != "username":  # anything but "already a user"
                raise


# --- reads (on a reader connection, the app file attached as `app`) ---------------------


def has_users(con: duckdb.DuckDBPyConnection) -> bool:
    """False for an open store (no users: no sign-in)."""
    return bool(con.execute("select count(*) from app.users").fetchone()[0])


def user_role(con: duckdb.DuckDBPyConnection, name: str) -> Role | None:
    """The user's role now (admin for anyone on an open store; None: no such user)."""
    return role_in_file(con, name, "app.users")


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    rows = con.sql("select username, role, created_at, created_by from app.users order by username").pl()
    return [User.model_validate(row) for row in rows.iter_rows(named=True)]


def authenticate(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User | None:
    """The user, if the name and password match; None otherwise (without saying which was wrong)."""
    rows = con.sql(
        "select username, role, created_at, created_by, password_hash from app.users where username = $name",
        params={"name": username(name)},
    ).pl()
    if rows.is_empty():
        HASHER.hash(password)  # same time as a wrong password: do not reveal which names exist
        return None
    row = rows.row(0, named=True)
    try:
        HASHER.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return User.model_validate(row)
