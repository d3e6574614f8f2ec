-- Version 6: fact_order_owners holds only the sales orders that PO lines name (the
-- rows the purchasing queries join). The rebuild at the end of this migration's
-- write makes it so, as for every fact table.
select 1;
