-- Version 2: the warehouse keeps derived fact tables (fact_order_lines, fact_invoices) beside the
-- raw ones. They are rebuilt from the raw tables by warehouse/facts.py at the end of
-- every write, this migration's own included, so a version-1 file gets them on its
-- first write after the upgrade. Nothing to create here: the rebuild defines them.
select 1;
