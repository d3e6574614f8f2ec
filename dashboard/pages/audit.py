"""Audit trail: every change made in the app, filtered by user, record type, record and date, downloadable."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.forms import history_frame
from dashboard.forms import labels as form_labels
from dashboard.i18n import Labels
from dashboard.ui import table
from gendan import records

labels = Labels(
    {
        "title": ("Audit trail", "修改记录"),
        "intro": (
            "Every change made in the app or with the gendan commands: who, when, which record, old → new value.",
            "系统和 gendan 命令所做的每一次修改：修改人、时间、记录、原值 → 新值。",
        ),
        "user": ("User", "用户"),
        "entity": ("Record type", "记录类型"),
        "record": ("Record (number contains)", "记录（单号包含）"),
        "dates": ("Changed between", "修改日期"),
        "any": ("Any", "全部"),
    }
)

st.title(labels("title"))
st.caption(labels("intro"))

with data.cursor() as con:
    everything = records.audit_trail(con)
left, middle, right, last = st.columns(4)
any_label = labels("any")
user = left.selectbox(
    labels("user"),
    [None, *sorted(everything["changed_by"].unique())],
    format_func=lambda value: any_label if value is None else value,
    key="audit.user",
)
entity = middle.selectbox(
    labels("entity"),
    [None, *sorted(everything["entity"].unique())],
    format_func=lambda value: any_label if value is None else value,
    key="audit.entity",
)
record = right.text_input(labels("record"), key="audit.record").strip() or None
dates = last.date_input(labels("dates"), value=(), key="audit.dates")
date_from, date_to = dates if len(dates) == 2 else (None, None)

found = records.audit_trail(data.cursor(), user, entity, record, date_from, date_to)
shown = history_frame(found)
table(shown.rename({name: form_labels(name) for name in shown.columns}), key="audit_trail")
