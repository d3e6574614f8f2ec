-- Run by Store.connect when no record of the attached app file changes an order line
-- (int_touched_order_lines is empty): the merge of core/20_order_lines.sql is then the
-- fact table itself, and no query pays for the anti-join over every line.
create or replace view core_order_line_facts as
select * from wh.fact_order_lines;
