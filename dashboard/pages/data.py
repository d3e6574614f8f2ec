"""Data: upload export files (admins), what every load brought, and the rows it rejected.

The upload runs the loader `gendan load` runs. When a file's headers miss contract
columns, the form asks which of the file's headers holds each one and keeps the answer
as a TOML header map beside the store, used for every later upload and by
`gendan load --map`.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.auth_ui import Actor, current_actor
from dashboard.i18n import (
    CONTRACT_ALIASES,
    REJECT_KINDS,
    Labels,
    column_label,
    language,
    reject_kind_label,
    reject_reasons,
    t,
)
from etl.contract import ENTITIES, LOAD_ORDER
from etl.loader import LoadError, LoadReport, Source
from etl.mapping import HeaderCheck, HeaderMap, inspect_headers
from gendan.records import Role
from warehouse.store import StoreBusyError

labels = Labels(
    {
        "title": ("Data", "数据"),
        "upload_title": ("Upload export files", "上传导出文件"),
        "upload_help": (
            "Name each file after its data, as .csv or .xlsx: {names}. Headers may be the template's English "
            "or Chinese names; other headers can be mapped here. Rows are added or updated by key; bad rows "
            "are set aside with the reason and listed below.",
            "文件按数据类型命名（.csv 或 .xlsx）：{names}。表头可用模板的中文或英文列名，其他表头可在此指定对应列。"
            "按主键新增或更新；有问题的行会被拒收并在下方列出原因。",
        ),
        "files": ("Files", "文件"),
        "admins_only": (
            "Only an admin can upload files. The load history and rejected rows are below.",
            "只有管理员可以上传文件。导入记录和拒收行见下方。",
        ),
        "not_contract": (
            "Not a contract file, will be ignored: {files}",
            "不是模板中的文件，将被忽略：{files}",
        ),
        "unreadable": ("{file} cannot be read: {error}", "{file} 无法读取：{error}"),
        "map_title": ("{file}: which column is which?", "{file}：请指定对应的列"),
        "map_help": (
            "These contract columns were not found in the file's headers. Pick the file column that "
            "holds each one; the closest header is suggested.",
            "文件表头中没有找到以下模板列。请为每一列选择文件中对应的列，已预选最接近的表头。",
        ),
        "required": (" (required)", "（必填）"),
        "optional": (" (optional)", "（选填）"),
        "not_in_file": ("— not in the file —", "— 文件中没有 —"),
        "chosen_twice": (
            "{header} is chosen for several columns; choose it once.",
            "{header} 被选给了多个列，只能选一次。",
        ),
        "load": ("Load files", "导入文件"),
        "stage_read": ("Reading files", "读取文件"),
        "stage_check": ("Checking rows", "检查数据行"),
        "stage_write": ("Writing rows", "写入数据"),
        "load_failed": ("Nothing was loaded: {error}", "未导入任何数据：{error}"),
        "loaded": (
            "Load {load_id} done. Rows read: {read:,}, loaded: {loaded:,}, rejected: {rejected:,}.",
            "第 {load_id} 批导入完成：读取 {read:,} 行，导入 {loaded:,} 行，拒收 {rejected:,} 行。",
        ),
        "ignored_columns": ("Columns ignored in {file}: {columns}", "{file} 中被忽略的列：{columns}"),
        "ignored_files": ("Files ignored: {files}", "被忽略的文件：{files}"),
        "report_rejects": ("Rejected rows of this load", "本批拒收的行"),
        "mapping_saved": (
            "Header mapping saved to `{path}`. It is used for every upload from now on, and on the server "
            "by `gendan load FOLDER --map {path}`.",
            "表头对应关系已保存到 `{path}`。之后每次上传都会自动使用；在服务器上也可用 "
            "`gendan load 文件夹 --map {path}`。",
        ),
        "mapping_in_use": (
            "Saved header mapping in use: `{path}` (also for `gendan load FOLDER --map {path}`).",
            "正在使用已保存的表头对应关系：`{path}`（也可用于 `gendan load 文件夹 --map {path}`）。",
        ),
        "mapping_broken": (
            "The saved header mapping cannot be used: {error}",
            "已保存的表头对应关系无法使用：{error}",
        ),
        "history_title": ("Load history", "导入记录"),
        "no_loads": (
            "No loads yet. Upload export files above, or run `gendan load FOLDER` on the server.",
            "还没有导入记录。请在上方上传导出文件，或在服务器上运行 `gendan load 文件夹`。",
        ),
        "rejects_title": ("Rejected rows", "拒收的行"),
        "no_rejects": ("No load rejected any row.", "所有导入都没有拒收的行。"),
        "load_filter": ("Load", "导入批次"),
        "file_filter": ("File", "文件"),
        "column_filter": ("Column", "列"),
        "reason_filter": ("Reason", "原因"),
        "load_choice": ("Load {load_id} · {when}", "第 {load_id} 批 · {when}"),
        "upload_by": ("upload by {name}", "{name} 上传"),
    }
)

REPORT_KEY = "data.report"  # the last upload's LoadReport, shown until the next upload
MAPPING_SAVED_KEY = "data.mapping_saved"
UPLOAD_ROUND_KEY = "data.upload_round"  # a new uploader (emptied) after each load


def entity_label(name: str) -> str:
    """An entity in words: its Chinese name, or its English name with spaces."""
    return ENTITIES[name].alias if language() == "zh" and name in ENTITIES else name.replace("_", " ")


def contract_columns_label(names: str | None) -> str:
    """A reject's column(s) ("order_no, line_no") as the contract calls them in the interface language."""
    if not names:
        return ""
    if language() != "zh":
        return names
    return "、".join(CONTRACT_ALIASES.get(name, name) for name in names.split(", "))


def _worded(frame: pl.DataFrame) -> pl.DataFrame:
    """Entities, contract columns and reject reasons in words, times to the minute."""
    if "reason_code" in frame.columns:
        frame = _reasons_worded(frame)
    for name, words in (("entity", entity_label), ("column", contract_columns_label)):
        if name in frame.columns:
            frame = frame.with_columns(
                pl.col(name).replace({value: words(value) for value in frame[name].drop_nulls().unique()})
            )
    return frame.with_columns(pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M"))


def _reasons_worded(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects with their reason in the interface language, without the code and detail it is made from."""
    return rejects.with_columns(reject_reasons(rejects).alias("reason")).drop("reason_code", "reason_detail")


def count_columns(frame: pl.DataFrame) -> dict:
    """Thousands separators for the row counts (not for load numbers and lines in a file)."""
    return {
        column_label(name): st.column_config.NumberColumn(format="%,d")
        for name, dtype in frame.schema.items()
        if dtype.is_integer() and name not in ("load_id", "line")
    }


def _mapping_choices(check: HeaderCheck) -> tuple[dict[str, str], bool]:
    """A selectbox per missing contract column: (file header -> contract column, every required one chosen)."""
    entity = ENTITIES[check.entity]
    free_headers = [header for header, column in zip(check.headers, check.columns, strict=True)
                    if column is None and header.strip()]  # fmt: skip
    asked = check.missing_required + [name for name in check.missing_optional if name in check.suggestions]
    st.markdown(f"**{labels('map_title', file=check.file)}**")
    st.caption(labels("map_help"))
    chosen, complete = {}, True
    for position, name in enumerate(asked):
        options = [None, *free_headers]
        suggested = check.suggestions.get(name, [None])[0]
        need = labels("required") if name in check.missing_required else labels("optional")
        header = st.columns(3)[position % 3].selectbox(
            f"{column_label(name)} · {name}{need}",
            options,
            index=options.index(suggested),
            format_func=lambda value: labels("not_in_file") if value is None else value,
            key=f"data.map.{entity.name}.{name}",
        )
        if header is None:
            complete = complete and name not in check.missing_required
        elif header in chosen:
            st.error(labels("chosen_twice", header=header))
            complete = False
        else:
            chosen[header] = name
    return chosen, complete


def _check_uploads(sources: list[Source], saved: HeaderMap | None) -> tuple[dict[str, dict[str, str]], bool]:
    """Header checks of the uploaded contract files: (mapping chosen per entity, ready to load)."""
    choices, ready = {}, True
    for source in sources:
        if source.stem not in ENTITIES:
            continue
        try:
            check = inspect_headers(source, source.stem, saved)
        except LoadError as error:
            st.error(labels("unreadable", file=source.name, error=error))
            ready = False
            continue
        if check.duplicates:
            st.error(check.problem())
            ready = False
        elif check.missing_required:
            with st.container(border=True):
                chosen, complete = _mapping_choices(check)
            choices[check.entity] = chosen
            ready = ready and complete
    return choices, ready


def _run_load(sources: list[Source], choices: dict[str, dict[str, str]], actor: Actor) -> None:
    """Load with the saved mapping plus the new choices; keep the mapping once the load has committed."""
    header_map = data.merge_header_choices(choices)
    bar = st.progress(0.0, text=labels("stage_read"))

    def progress(stage: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        bar.progress(share, text=f"{labels('stage_' + stage)} · {done:,} / {total:,}")

    try:
        report = data.load_uploads(sources, header_map, progress, labels("upload_by", "en", name=actor.username))
    except (LoadError, StoreBusyError) as error:
        bar.empty()
        st.error(labels("load_failed", error=error))
        return
    mapped = any(choices.values())
    if mapped:
        data.keep_header_map(header_map)
    st.session_state[REPORT_KEY] = report
    st.session_state[MAPPING_SAVED_KEY] = mapped
    st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1
    st.rerun()  # the store has a new generation: every figure on the next run is the new data


def load_report(report: LoadReport) -> None:
    """What the last upload did: counts per file, ignored columns and files, its rejects."""
    read = sum(counts.read for counts in report.entities.values())
    rejected = sum(counts.rejected for counts in report.entities.values())
    st.success(labels("loaded", load_id=report.load_id, read=read, loaded=read - rejected, rejected=rejected))
    if st.session_state.get(MAPPING_SAVED_KEY):
        st.info(labels("mapping_saved", path=data.header_map_path()))
    counts = pl.DataFrame(
        [{"entity": entity, **counts.model_dump()} for entity, counts in report.entities.items()]
    )
    ui.table(_worded(counts), key=f"load_{report.load_id}_counts", column_config=count_columns(counts))
    for file, columns in report.ignored_columns.items():
        st.caption(labels("ignored_columns", file=file, columns=", ".join(columns)))
    if report.ignored_files:
        st.caption(labels("ignored_files", files=", ".join(report.ignored_files)))
    if report.rejects:
        st.markdown(f"**{labels('report_rejects')}**")
        ui.table(_worded(pl.DataFrame([reject.model_dump() for reject in report.rejects])),
                 key=f"load_{report.load_id}_rejects")  # fmt: skip


def upload_form(actor: Actor) -> None:
    """Files in, header mapping where needed, the load with its progress."""
    st.subheader(labels("upload_title"))
    zh = language() == "zh"
    names = ", ".join(f"`{name}` {entity_label(name)}" if zh else f"`{name}`" for name in LOAD_ORDER)
    st.caption(labels("upload_help", names=names))
    path = data.header_map_path()
    try:
        saved = data.saved_header_map()
    except LoadError as error:
        st.warning(labels("mapping_broken", error=error))
        saved = None
    if saved is not None:
        st.caption(labels("mapping_in_use", path=path))
    uploaded = st.file_uploader(
        labels("files"),
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=f"data.upload.{st.session_state.get(UPLOAD_ROUND_KEY, 0)}",
    )
    report = st.session_state.get(REPORT_KEY)
    if report is not None:
        load_report(report)
    if not uploaded:
        return
    sources = [Source(name=file.name, data=file.getvalue()) for file in uploaded]
    others = [source.name for source in sources if source.stem not in ENTITIES]
    if others:
        st.caption(labels("not_contract", files=", ".join(others)))
    choices, ready = _check_uploads(sources, saved)
    if st.button(labels("load"), type="primary", disabled=not ready or len(others) == len(sources), key="data.load"):
        _run_load(sources, choices, actor)


def load_history(history: pl.DataFrame) -> None:
    """Every load, newest first: when, row counts, source and files."""
    st.subheader(labels("history_title"))
    if history.is_empty():
        st.info(labels("no_loads"))
        return
    # counts before the long source and file names, so they show without scrolling sideways
    shown = history.select(
        "load_id", "started_at", "finished_at", "rows_read", "rows_loaded", "inserted", "updated", "unchanged",
        "rejected_rows", "source", pl.col("files").list.join(", "),
    )
    ui.table(_worded(shown), key="load_history", column_config=count_columns(shown))


def rejected_rows(history: pl.DataFrame) -> None:
    """Every rejected row, filtered by load, file, column and kind of reason."""
    st.subheader(labels("rejects_title"))
    if history["rejected_rows"].sum() == 0:
        st.info(labels("no_rejects"))
        return
    any_label = t("all")
    when = dict(zip(history["load_id"], history["started_at"], strict=True))
    by_load, by_file, by_column, by_reason = st.columns(4)
    load_id = by_load.selectbox(
        labels("load_filter"),
        [None, *history.filter(pl.col("rejected_rows") > 0)["load_id"]],
        format_func=lambda value: any_label if value is None
        else labels("load_choice", load_id=value, when=f"{when[value]:%Y-%m-%d %H:%M}"),
        key="data.rejects.load",
    )
    of_load = data.call("load_rejects", load_id=load_id)
    file = by_file.selectbox(
        labels("file_filter"),
        [None, *sorted(of_load["file"].unique())],
        format_func=lambda value: any_label if value is None else value,
        key="data.rejects.file",
    )
    column = by_column.selectbox(
        labels("column_filter"),
        [None, *sorted(of_load["column"].drop_nulls().unique())],
        format_func=lambda value: any_label if value is None else contract_columns_label(value),
        key="data.rejects.column",
    )
    present = set(of_load["reason_code"].drop_nulls())
    # the kinds the interface has words for in their usual order, then any a newer loader wrote
    kinds = [code for code in REJECT_KINDS if code in present] + sorted(present - REJECT_KINDS.keys())
    reason_code = by_reason.selectbox(
        labels("reason_filter"),
        [None, *kinds],
        format_func=lambda value: any_label if value is None else reject_kind_label(value),
        key="data.rejects.reason",
    )
    found = data.call("load_rejects", load_id=load_id, file=file, column=column, reason_code=reason_code)
    ui.table(_worded(found), key="rejects")


st.title(labels("title"))
actor = current_actor()
if actor is not None and actor.can(Role.ADMIN):
    upload_form(actor)
else:
    st.info(labels("admins_only"))
history = data.call("load_history")
load_history(history)
if not history.is_empty():
    rejected_rows(history)
