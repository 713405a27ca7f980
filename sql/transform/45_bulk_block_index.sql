-- Bulk path, last: the block lists' index that 05_bulk_prepare.sql dropped, as migration 0015
-- defines it, after the lists are stored (or left empty, to be filled when first asked for).
create index block_leaders_block_idx on reporting.block_leaders (level, block_start, customer_key);
