-- Version 5: fact_invoices has settled_date (when payments covered the amount),
-- which lets the receivables metrics skip invoices paid in full. The rebuild at the
-- end of this migration's write adds it, as for every fact table.
select 1;
