-- The chase list for a date A: "what to chase today" (metrics.md "Chase list").
--
--   chase_today(as_of, only_customer, only_merchandiser)
--   chase_today_of(as_of, only_customer, only_merchandiser,
--                  line_relation, po_relation, invoice_relation)
--       the same from relations named by strings holding order_line_status,
--       po_line_status and invoice_status rows for the same as-of date and filters
--       (see 10_order_lines.sql: computed once by kpi_report)
--
-- One row per thing to chase:
--   kind        reason_code           when
--   order_line  late                  every late order line
--   order_line  at_risk_stalled       at-risk line due <= A + 14: started, no packing in [A-6, A]
--   order_line  at_risk_behind        at-risk line due <= A + 14: projected finish after due date
--   order_line  at_risk_not_started   at-risk line due <= A + 14: no production report yet
--   po_line     po_overdue            every overdue PO line
--   po_line     po_due_soon           every PO line due soon (A <= promised <= A + 3)
--   invoice     invoice_past_due      every unpaid invoice with days_past_due > 0
--   follow_up   follow_up             every open follow-up note with next_chase_date <= A
-- ref is ORDER/LINE, PO/LINE, the invoice_no, or the note's id; reason is an English
-- sentence with the numbers; reason_code plus the detail columns (days_past_due,
-- quantity, unit, amount, currency, supplier, material, subject_*, note) let the UI
-- write the sentence in another language.
--
-- due_date is the date that matters for the row: the line's due date, the PO line's
-- promised date, the invoice's due date or the note's next chase date;
-- days_past_due = A - due_date (negative = days still to go).
--
-- Urgency score: urgency = days_past_due + 10000 for rush order lines. So rush
-- order lines come first, then the largest days late / overdue / past due (and
-- notes by how long their chase date has passed), then things not yet due, the
-- soonest first. Ties: order_line, po_line, invoice, follow_up; then ref.
-- chase_rank numbers the rows in that order (1 = most urgent).
--
-- Filters (NULL = no filter) use each row's customer_code / merchandiser: the order
-- line's, the PO line's sales order's, the invoice's (see core/), and for a note,
-- those of its subject (a customer subject: the customer's default merchandiser).
-- A note whose subject is unknown has none, so any filter leaves it out. The
-- relations passed in are already filtered; a note about an invoice takes its owner
-- from invoice_relation, so under a filter a note on another customer's invoice
-- finds none and stays out.

create or replace macro chase_today_of(
    as_of, only_customer, only_merchandiser, line_relation, po_relation, invoice_relation
) as table
with

order_lines as (
    select * from query_table(line_relation)
    where is_late or is_at_risk
),

po_lines as (
    select * from query_table(po_relation)
    where is_overdue or is_due_soon
),

invoices as (
    select * from query_table(invoice_relation)
),

notes as (
    select * from stg_app_follow_up_notes
    where status = 'open'
        and next_chase_date <= as_of
),

all_order_lines as (
    select * from core_order_lines
),

all_po_lines as (
    select * from core_po_lines
),

customers as (
    select * from core_customers
),

late_line_items as (
    select
        'order_line'                                                 as kind,
        ref,
        'late'                                                       as reason_code,
        format('{} late, {} pcs still to ship', days_text(days_past_due), qty_text(open_qty))
            || case when is_rush then ' (rush)' else '' end          as reason,
        is_rush,
        customer_code,
        merchandiser,
        due_date,
        days_past_due,
        open_qty::decimal(18, 4)                                     as quantity,
        'pcs'                                                        as unit
    from order_lines
    where is_late
),

at_risk_line_items as (
    select
        'order_line'                                                 as kind,
        ref,
        'at_risk_' || risk_reason                                    as reason_code,
        case risk_reason
            when 'stalled' then format(
                '{}, {} pcs still to pack, no packing output in the last 7 days',
                due_text(-days_past_due), qty_text(remaining_qty))
            when 'behind' then format(
                '{}, projected to finish {} ({} after the due date), {} pcs still to pack',
                due_text(-days_past_due), strftime(projected_finish, '%Y-%m-%d'),
                days_text(projected_finish - due_date), qty_text(remaining_qty))
            when 'not_started' then format(
                '{}, production not started, {} pcs to make',
                due_text(-days_past_due), qty_text(remaining_qty))
        end || case when is_rush then ' (rush)' else '' end          as reason,
        is_rush,
        customer_code,
        merchandiser,
        due_date,
        days_past_due,
        remaining_qty::decimal(18, 4)                                as quantity,
        'pcs'                                                        as unit,
        projected_finish
    from order_lines
    where is_at_risk
        and due_date <= as_of + 14
),

po_line_items as (
    select
        'po_line'                                                    as kind,
        ref,
        case when is_overdue then 'po_overdue' else 'po_due_soon' end as reason_code,
        case
            when is_overdue then format('{} overdue from {}', days_text(days_past_promised), supplier)
            else format('{} from {}', due_text(-days_past_promised), supplier)
        end || format(', {}{} of {} still to receive',
            qty_text(open_qty), coalesce(' ' || unit, ''), material)  as reason,
        false                                                        as is_rush,
        customer_code,
        merchandiser,
        promised_date                                                as due_date,
        days_past_promised                                           as days_past_due,
        open_qty::decimal(18, 4)                                     as quantity,
        unit,
        supplier,
        material
    from po_lines
),

invoice_items as (
    select
        'invoice'                                                    as kind,
        invoice_no                                                   as ref,
        'invoice_past_due'                                           as reason_code,
        format('{} past due, {} outstanding',
            days_text(days_past_due), money_text(currency, outstanding)) as reason,
        false                                                        as is_rush,
        customer_code,
        merchandiser,
        due_date,
        days_past_due,
        round(outstanding, 2)                                        as amount,
        currency
    from invoices
    where is_unpaid
        and days_past_due > 0
),

note_subjects as (
    select
        notes.*,
        coalesce(all_order_lines.customer_code, all_po_lines.customer_code,
            invoices.customer_code, customers.customer_code)         as customer_code,
        coalesce(all_order_lines.merchandiser, all_po_lines.merchandiser,
            invoices.merchandiser, customers.merchandiser)           as merchandiser
    from notes
    left join all_order_lines
        on notes.subject_kind = 'order_line'
        and notes.subject_ref = all_order_lines.ref
    left join all_po_lines
        on notes.subject_kind = 'po_line'
        and notes.subject_ref = all_po_lines.ref
    left join invoices
        on notes.subject_kind = 'invoice'
        and notes.subject_ref = invoices.invoice_no
    left join customers
        on notes.subject_kind = 'customer'
        and notes.subject_ref = customers.customer_code
),

follow_up_items as (
    select
        'follow_up'                                                  as kind,
        note_id::varchar                                             as ref,
        'follow_up'                                                  as reason_code,
        format('follow up on {} {}: {}', replace(subject_kind, '_', ' '), subject_ref, note)
            || case
                when as_of > next_chase_date
                    then format(' (due {} ago)', days_text(as_of - next_chase_date))
                else ''
            end                                                      as reason,
        false                                                        as is_rush,
        customer_code,
        merchandiser,
        next_chase_date                                              as due_date,
        as_of - next_chase_date                                      as days_past_due,
        note_id,
        subject_kind,
        subject_ref,
        note
    from note_subjects
    where filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
),

items as (
    select * from late_line_items
    union all by name
    select * from at_risk_line_items
    union all by name
    select * from po_line_items
    union all by name
    select * from invoice_items
    union all by name
    select * from follow_up_items
),

scored as (
    select
        *,
        days_past_due + case when is_rush then 10000 else 0 end     as urgency,
        case kind
            when 'order_line' then 1
            when 'po_line' then 2
            when 'invoice' then 3
            else 4
        end                                                          as kind_order
    from items
),

ranked as (
    select * from scored
    order by urgency desc, kind_order, ref
),

final as (
    select
        -- numbers ranked's rows in their order: a window with an empty OVER () keeps the
        -- order of what it reads (DuckDB's order preservation rules), so the list is
        -- sorted once instead of once for the number and again for the output
        row_number() over ()                                         as chase_rank,
        kind,
        ref,
        reason_code,
        reason,
        urgency,
        is_rush,
        customer_code,
        merchandiser,
        due_date,
        days_past_due,
        quantity,
        unit,
        amount,
        currency,
        supplier,
        material,
        projected_finish,
        note_id,
        subject_kind,
        subject_ref,
        note
    from ranked
)

select * from final;


create or replace macro chase_today(as_of, only_customer, only_merchandiser) as table
with

line_status as (
    select * from order_line_status(as_of, only_customer, only_merchandiser, open_only := true)
),

po_status as (
    select * from po_line_status(as_of, only_customer, only_merchandiser, open_only := true)
),

invoice_rows as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true, keep_noted := true)
)

select * from chase_today_of(
    as_of, only_customer, only_merchandiser, 'line_status', 'po_status', 'invoice_rows'
);


-- The record behind one chase row, for the page that opens it: one row (or none) of
-- order_line_status, po_line_status or invoice_status at A under the same filters.
-- Each filters its list by the key, which reaches the table scans: opening an item
-- reads one record instead of the whole list.
--
--   order_line_record(as_of, only_customer, only_merchandiser, the_order_no, the_line_no)
--   po_line_record(as_of, only_customer, only_merchandiser, the_po_no, the_po_line)
--   invoice_record(as_of, only_customer, only_merchandiser, the_invoice_no)

create or replace macro order_line_record(as_of, only_customer, only_merchandiser, the_order_no, the_line_no) as table
select * from order_line_status(as_of, only_customer, only_merchandiser)
where order_no = the_order_no
    and line_no = the_line_no;


create or replace macro po_line_record(as_of, only_customer, only_merchandiser, the_po_no, the_po_line) as table
select * from po_line_status(as_of, only_customer, only_merchandiser)
where po_no = the_po_no
    and po_line = the_po_line;


create or replace macro invoice_record(as_of, only_customer, only_merchandiser, the_invoice_no) as table
select * from invoice_status(as_of, only_customer, only_merchandiser)
where invoice_no = the_invoice_no;
