-- A stable code beside each rejected row's reason, for scripts and queries to group by; the
-- reason stays worded for people. docs/input.md lists the codes. Rows stored before this
-- migration get theirs from their reason's fixed wording (the same patterns the loader uses,
-- RejectCode.swift); a reason no pattern knows gets 'other'.
alter table ops.rejected_rows add column code text;

update ops.rejected_rows set code = case
        when reason like '%(a quoted field opened on this line ran across line breaks%' then 'stray_quote'
        when reason like 'a quoted field is never closed%' then 'unclosed_quote'
        when reason like 'unexpected text after a closing quote%' then 'text_after_quote'
        when reason like 'expected % fields, found %' then 'wrong_field_count'
        when reason like 'order_id % appears on lines % with different values%' then 'duplicate_order_id'
        when reason like 'order_id is empty%' then 'order_id_empty'
        when reason like 'order_id must be greater than 0%' then 'order_id_not_positive'
        when reason like 'order_id is too large%' then 'order_id_too_large'
        when reason like 'order_id is not an integer%' then 'order_id_not_integer'
        when reason like 'customer_name is empty%' then 'customer_name_empty'
        when reason like 'customer_name contains a NUL byte%' then 'customer_name_invalid'
        when reason like 'customer_name is not valid UTF-8%' then 'customer_name_invalid'
        when reason like 'customer_name is longer than %' then 'customer_name_too_long'
        when reason like 'price is empty%' then 'price_empty'
        when reason like 'price must not be negative%' then 'price_negative'
        when reason like 'price has more than 2 decimals%' then 'price_too_many_decimals'
        when reason like 'price is too large%' then 'price_too_large'
        when reason like 'price is not a decimal number%' then 'price_not_decimal'
        when reason like 'order_date is empty%' then 'order_date_empty'
        when reason like 'order_date is not a YYYY-MM-DD date%' then 'order_date_not_date'
        when reason like 'order_date year % is outside the supported years%' then 'order_date_year_out_of_range'
        when reason like 'order_date is not a real calendar date%' then 'order_date_not_real'
        when reason like 'product_id is empty%' then 'product_id_empty'
        when reason like 'product_id is longer than %' then 'product_id_too_long'
        when reason like 'product_id may hold only %' then 'product_id_bad_characters'
        when reason like 'passenger_count is empty%' then 'passenger_count_empty'
        when reason like 'passenger_count must be at least 1%' then 'passenger_count_not_positive'
        when reason like 'passenger_count is too large%' then 'passenger_count_too_large'
        when reason like 'passenger_count is not an integer%' then 'passenger_count_not_integer'
        when reason like 'updated_at % is more than % after the pull started%' then 'updated_at_in_future'
        else 'other'
    end;

alter table ops.rejected_rows alter column code set not null;

comment on column ops.rejected_rows.code is 'Stable reject code (docs/input.md), e.g. order_date_not_real; the reason column words it for people.';
