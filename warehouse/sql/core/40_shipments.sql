-- core_shipments: one row per shipment row that counts (int_shipments: loaded, plus
-- entered in the app and not yet confirmed by a load) with the defaults that depend
-- on the order line applied (shipment_rows_of, sql/facts/): amount, currency (the
-- line's, itself defaulted to the base currency), plus the line's customer_code and
-- merchandiser. Shipments of cancelled lines are kept: goods shipped are owed
-- whatever became of the line.
create or replace view core_shipments as
select * from shipment_rows_of('int_shipments', 'core_order_lines');
