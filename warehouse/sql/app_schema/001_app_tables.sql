-- Records typed into the app. They live in their own file so that a load (which
-- rewrites the warehouse file) can never overwrite or lose them, and so that a
-- form save never waits for a long load.
create table if not exists meta (
    key   varchar primary key,
    value varchar not null
);

create sequence if not exists follow_up_note_ids start 1;

create table if not exists follow_up_notes (
    note_id         integer primary key default nextval('follow_up_note_ids'),
    subject_kind    varchar not null,   -- order_line | po_line | invoice | customer
    subject_ref     varchar not null,   -- ORDER/LINE, PO/LINE, INVOICE or customer code
    note            varchar not null,
    next_chase_date date,
    status          varchar not null default 'open',  -- open | done
    created_by      varchar not null,
    created_at      timestamp not null,
    done_at         timestamp
);
