-- Version 7: a reject's reason can be said in any language. Beside its English
-- sentence every reject carries reason_code, its kind (see etl/parse.py), and
-- reason_detail, what the sentence says besides the rejected value: the accepted
-- spellings of a code, the bound with its operator ("> 0"), the first line with a
-- repeated key, what a reference names ("order line").
-- Rejects stored by earlier versions hold only the sentence, which the loader always
-- wrote the same way for a kind, so their code and detail are read back from it. A
-- sentence no version wrote would keep a null code and be shown as it is.

alter table rejects add column if not exists reason_code varchar;
alter table rejects add column if not exists reason_detail varchar;

update rejects
set
    reason_code = decoded.reason_code,
    reason_detail = decoded.reason_detail
from (
    with

    stored as (
        select distinct reason from rejects
        where reason_code is null
    ),

    sentences as (
        -- the kinds whose sentence is always the same
        select * from (
            values
                ('missing', 'missing required value'),
                ('not_a_date', 'not a date (expected YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)'),
                ('no_such_day', 'no such day in the calendar'),
                ('not_a_number', 'not a number'),
                ('not_whole', 'not a whole number'),
                ('too_large', 'number too large'),
                ('not_a_currency', 'not a currency code (expected 3 letters, e.g. USD)'),
                ('surplus_values', 'has more values than the header has columns'),
                ('due_before_order', 'due_date is before order_date'),
                ('received_without_date', 'received_qty > 0 but received_date is empty')
        ) as sentence (reason_code, reason)
    ),

    patterns as (
        -- the kinds whose sentence holds the detail: the pattern's first group. (?s) lets a
        -- quoted cell span lines, as a cell of a quoted CSV field can.
        select * from (
            values
                ('unknown_code', '(?s)^unknown .+ code ''.*'' \(expected ([^()]*)\)$'),
                ('below_minimum', '^must be (>=? -?\d+)$'),
                ('repeated_key', '^repeats the key of line (\d+)$'),
                ('unknown_reference', '(?s)^([^'']+) ''.*'' is not in this load or the store$')
        ) as pattern (reason_code, pattern)
    ),

    final as (
        select
            stored.reason,
            sentences.reason_code,
            null::varchar                                             as reason_detail
        from stored
        inner join sentences
            on stored.reason = sentences.reason

        union all

        select
            stored.reason,
            patterns.reason_code,
            regexp_extract(stored.reason, patterns.pattern, 1)        as reason_detail
        from stored
        inner join patterns
            on regexp_matches(stored.reason, patterns.pattern)
    )

    select * from final
) as decoded
where rejects.reason = decoded.reason
    and rejects.reason_code is null;
