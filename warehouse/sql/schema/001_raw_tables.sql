-- Raw tables: one per contract entity, holding loaded rows after validation and
-- casting. Defaults that depend on other rows or on settings (currency, amount,
-- merchandiser) are applied in staging, so a later change to the order line or
-- the settings is reflected everywhere.
create table if not exists meta (
    key   varchar primary key,
    value varchar not null
);

create table if not exists loads (
    load_id       integer primary key,
    started_at    timestamp not null,
    finished_at   timestamp,
    source        varchar not null,
    files         varchar not null,    -- JSON list of {file, entity, sha256, rows}
    content_hash  varchar not null,
    counts        varchar not null,    -- JSON {entity: {read, loaded, rejected}}
    rejected_rows integer not null,
    strict        boolean not null
);

create table if not exists rejects (
    load_id  integer not null,
    file     varchar not null,
    entity   varchar not null,
    line     bigint not null,
    "column" varchar,
    value    varchar,
    reason   varchar not null
);

create table if not exists customers (
    customer_code      varchar not null,
    customer_name      varchar not null,
    country            varchar,
    payment_terms_days integer,
    tier               varchar,
    merchandiser       varchar,
    load_id            integer not null
);

create table if not exists orders (
    order_no      varchar not null,
    line_no       integer not null,
    customer_code varchar not null,
    order_date    date not null,
    style_no      varchar not null,
    description   varchar,
    quantity      bigint not null,
    unit_price    decimal(18, 4) not null,
    currency      varchar,
    due_date      date not null,
    merchandiser  varchar,
    priority      varchar not null,
    status        varchar not null,
    load_id       integer not null
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
    load_id      integer not null
);

create table if not exists purchase_orders (
    po_no         varchar not null,
    po_line       integer not null,
    supplier      varchar not null,
    material      varchar not null,
    order_no      varchar,
    order_date    date not null,
    promised_date date not null,
    quantity      decimal(18, 4) not null,
    unit          varchar,
    received_qty  decimal(18, 4) not null,
    received_date date,
    status        varchar not null,
    load_id       integer not null
);

create table if not exists shipments (
    shipment_no varchar not null,
    order_no    varchar not null,
    line_no     integer not null,
    ship_date   date not null,
    shipped_qty bigint not null,
    invoice_no  varchar not null,
    amount      decimal(18, 4),
    currency    varchar,
    load_id     integer not null
);

create table if not exists payments (
    payment_no   varchar not null,
    invoice_no   varchar not null,
    payment_date date not null,
    amount       decimal(18, 4) not null,
    load_id      integer not null
);

create table if not exists fx_rates (
    currency     varchar not null,
    rate_to_base decimal(18, 8) not null,
    load_id      integer not null
);
