-- Version 4: fact_order_lines has settled_date (the day a line's shipments reached
-- its quantity), which lets lists of open lines skip the settled ones in the scan.
-- The rebuild at the end of this migration's write adds it, as for every fact table.
select 1;
