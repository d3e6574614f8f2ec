-- Records typed into the app. They live in their own file so that a load (which
-- rewrites the warehouse file) can never overwrite or lose them, and so that a
-- form save never waits for a long load. Every write goes through gendan/records.py,
-- which also writes the audit_log rows of the change in the same transaction.
-- entered_by / changed_by / created_by are user names (users.username, or the name
-- given on the command line while the store has no users).
create table if not exists meta (
    key   varchar primary key,
    value varchar not null
);

create table if not exists users (
    username      varchar primary key,  -- lower case
    role          varchar not null,     -- viewer | editor | admin
    password_hash varchar not null,     -- argon2id, PHC string
    created_at    timestamp not null,
    created_by    varchar not null,
    version       integer not null      -- +1 on every change (password)
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
    done_by         varchar,
    done_at         timestamp,
    version         integer not null default 1        -- +1 on every change (mark done)
);

-- One row per goods receipt entered; adds (received - rejected) to the PO line
-- until a load brings the PO line with received_date >= receipt_date.
create sequence if not exists po_receipt_ids start 1;

create table if not exists po_receipts (
    receipt_id   integer primary key default nextval('po_receipt_ids'),
    po_no        varchar not null,
    po_line      integer not null,
    receipt_date date not null,
    received_qty decimal(18, 4) not null,  -- delivered
    rejected_qty decimal(18, 4) not null,  -- of which refused at incoming inspection
    entered_by   varchar not null,
    entered_at   timestamp not null
);

-- Same columns and key as the contract's entities, so that a load bringing the same
-- key is recognised as the same record ("confirmed by load").
create table if not exists shipments (
    shipment_no varchar not null,
    order_no    varchar not null,
    line_no     integer not null,
    ship_date   date not null,
    shipped_qty bigint not null,
    invoice_no  varchar not null,
    amount      decimal(18, 4),
    currency    varchar,
    entered_by  varchar not null,
    entered_at  timestamp not null,
    primary key (shipment_no, order_no, line_no)
);

create table if not exists payments (
    payment_no   varchar primary key,
    invoice_no   varchar not null,
    payment_date date not null,
    amount       decimal(18, 4) not null,
    entered_by   varchar not null,
    entered_at   timestamp not null
);

create table if not exists production_daily (
    report_date  date not null,
    order_no     varchar not null,
    line_no      integer not null,
    workshop     varchar not null,
    process      varchar not null,
    planned_qty  bigint,
    output_qty   bigint not null,
    defect_qty   bigint not null,
    delay_reason varchar,
    entered_by   varchar not null,
    entered_at   timestamp not null,
    primary key (report_date, order_no, line_no, workshop, process)
);

-- The current app values of an order line; NULL = not changed in the app (the loaded
-- value counts). Later loads never undo them. The history is in audit_log.
create table if not exists order_line_overrides (
    order_no        varchar not null,
    line_no         integer not null,
    due_date        date,
    due_date_reason varchar,
    priority        varchar,
    status          varchar,
    status_reason   varchar,
    version         integer not null,  -- +1 on every change; 0 = no row yet
    changed_by      varchar not null,
    changed_at      timestamp not null,
    primary key (order_no, line_no)
);

-- Who changed what, when: one row per changed field. Rows of one save share change_id.
-- entity/record_key name the row changed; subject_kind/subject_ref the business record
-- it is about (a receipt is about a po_line, a payment about an invoice), so a record's
-- history includes the records entered against it.
create sequence if not exists audit_ids start 1;
create sequence if not exists audit_change_ids start 1;

create table if not exists audit_log (
    audit_id     bigint primary key default nextval('audit_ids'),
    change_id    bigint not null,
    changed_at   timestamp not null,
    changed_by   varchar not null,
    action       varchar not null,  -- insert | update | delete
    entity       varchar not null,  -- user | follow_up_note | po_receipt | shipment | payment | production_report | order_line
    record_key   varchar not null,
    subject_kind varchar not null,
    subject_ref  varchar not null,
    field        varchar not null,
    old_value    varchar,           -- NULL on insert
    new_value    varchar            -- NULL on delete
);
