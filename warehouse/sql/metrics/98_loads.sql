-- What each load brought: the Data page's load history and rejects.
-- wh.loads keeps a load's files and counts as JSON (see etl/loader.py):
--   files  = [{file, entity, sha256, rows}]
--   counts = {entity: {read, loaded, inserted, updated, unchanged, rejected}}
--
--   load_history()
--       one row per load, newest first: load_id, started_at, finished_at, source,
--       files (file names, in load order), rows_read, rows_loaded, inserted,
--       updated, unchanged, rejected_rows, strict
--   load_entity_counts()
--       one row per file of every load: load_id, file, entity and its counts;
--       by (load_id desc, load order)
--   load_rejects(only_load_id, only_file, only_column, only_reason_code)
--       the rejected rows, each with its reason's English sentence (reason), kind
--       (reason_code) and detail (reason_detail), see etl/parse.py; NULL = no
--       filter; by (load_id desc, file, line)

create or replace macro load_entity_counts() as table
with

loads as (
    select * from wh.loads
),

files as (
    select
        load_id,
        unnest(list_transform(
            from_json(files, '[{"file": "VARCHAR", "entity": "VARCHAR"}]'),
            lambda entry, position: struct_insert(entry, file_order := position)
        ), recursive := true)
    from loads
),

entity_counts as (
    select
        loads.load_id,
        entity.key                                                   as entity,
        from_json(
            entity.value,
            '{"read": "BIGINT", "loaded": "BIGINT", "inserted": "BIGINT", "updated": "BIGINT",
              "unchanged": "BIGINT", "rejected": "BIGINT"}'
        )                                                            as counts
    from loads, json_each(loads.counts) as entity
),

final as (
    select
        files.load_id,
        files.file,
        files.entity,
        entity_counts.counts.read                                    as read,
        entity_counts.counts.loaded                                  as loaded,
        entity_counts.counts.inserted                                as inserted,
        entity_counts.counts.updated                                 as updated,
        entity_counts.counts.unchanged                               as unchanged,
        entity_counts.counts.rejected                                as rejected,
        files.file_order
    from files
    inner join entity_counts
        on files.load_id = entity_counts.load_id
        and files.entity = entity_counts.entity
)

select * exclude (file_order) from final
order by load_id desc, file_order;


create or replace macro load_history() as table
with

loads as (
    select * from wh.loads
),

entity_counts as (
    select * from load_entity_counts()
),

totals as (
    select
        load_id,
        sum(read)::bigint                                            as rows_read,
        sum(loaded)::bigint                                          as rows_loaded,
        sum(inserted)::bigint                                        as inserted,
        sum(updated)::bigint                                         as updated,
        sum(unchanged)::bigint                                       as unchanged
    from entity_counts
    group by load_id
),

final as (
    select
        loads.load_id,
        loads.started_at,
        loads.finished_at,
        loads.source,
        list_transform(from_json(loads.files, '[{"file": "VARCHAR"}]'), lambda entry: entry.file)
                                                                     as files,
        coalesce(totals.rows_read, 0)                                as rows_read,
        coalesce(totals.rows_loaded, 0)                              as rows_loaded,
        coalesce(totals.inserted, 0)                                 as inserted,
        coalesce(totals.updated, 0)                                  as updated,
        coalesce(totals.unchanged, 0)                                as unchanged,
        loads.rejected_rows,
        loads.strict
    from loads
    left join totals
        on loads.load_id = totals.load_id
)

select * from final
order by load_id desc;


create or replace macro load_rejects(only_load_id, only_file, only_column, only_reason_code) as table
with

rejects as (
    select * from wh.rejects
),

final as (
    select
        load_id,
        file,
        entity,
        line,
        "column",
        value,
        reason,
        reason_code,
        reason_detail
    from rejects
    where (only_load_id is null or load_id = only_load_id)
        and filter_matches(only_file, file)
        and filter_matches(only_column, "column")
        and filter_matches(only_reason_code, reason_code)
)

select * from final
order by load_id desc, file, line;
