-- Top customers of any window, 50 rows and more, without aggregating (docs/reports.md, "Deeper
-- rankings"). Migration 0012 bounds what a customer not on a day's list spent that day; over a
-- window those bounds add up (30 days: 30 bounds), and past the 20th place or so they exceed what
-- the n-th customer spent, so the report aggregated the window (0.3-2 s at 5M facts).
--
-- Here the same lists are kept for aligned blocks of 2, 4, 16, 64 and 256 days: block b of level
-- j holds the days whose number since 1970-01-01 is b * 2^j .. (b + 1) * 2^j - 1. A window is cut
-- into the fewest such blocks (a 30-day window into about 7, a year into 4-10), and one block's
-- bound is far below the sum of its days' bounds: a customer who spent the 401st most over 64 days
-- did not spend the 201st most on each of them.
--
-- Written whole by the loads that write the per-day tables from their rows (a first load, a full
-- snapshot's merge). Any other change to the facts drops the blocks holding the changed days
-- (statement-level triggers); a window then uses the smaller blocks, down to days, that are still
-- there. Exact either way: a block is used only while its list is current.

create table reporting.block_leaders (
    level smallint not null check (level between 1 and 8),
    block_start date not null,
    customer_key integer not null,
    total_value numeric(20, 2) not null,
    order_count integer not null check (order_count > 0)
);

-- Not unique, though (level, block_start, customer_key) is: only the loads write these rows, whole
-- (a customer once per block by construction), and a snapshot replaces all of them in its
-- transaction, where a unique index would check each new row against the old one it replaces
-- (about half the cost of rewriting the table, 0.1 s at 5M facts).
create index block_leaders_block_idx on reporting.block_leaders (level, block_start, customer_key);

comment on table reporting.block_leaders is
    'Per aligned block of 2^level days (block_start = its first day): the customers who spent the most in it, with their exact totals and order counts (removed orders excluded).';

create table reporting.block_leader_bounds (
    level smallint not null check (level between 1 and 8),
    block_start date not null,
    unlisted_max numeric(20, 2) not null check (unlisted_max >= 0),
    primary key (level, block_start)
);

comment on table reporting.block_leader_bounds is
    'Per block with a current list in reporting.block_leaders: no customer missing from it spent more than unlisted_max in the block.';

-- How many customers a block lists (a day lists reporting.day_leader_depth()).
create function reporting.block_leader_depth() returns integer language sql immutable as 'select 400';

-- The levels kept (blocks of 2^level days). On the bench's data (5M facts, random windows) these
-- five settle the same top-100 rankings of 7, 30, 90 and 365 days as all eight levels, with 40%
-- less work and 17% fewer rows per load; without level 1 a week's top 100 does not settle.
create function reporting.block_levels() returns setof integer language sql immutable as 'values (1), (2), (4), (6), (8)';

-- The first day of the level-`level` block holding `day`.
create function reporting.block_start(day date, level integer) returns date
language sql immutable strict
as $$ select date '1970-01-01' + (((day - date '1970-01-01') >> level) << level) $$;

-- The days from first_day to last_day cut into pieces, in order: the largest aligned block that
-- starts at each point, fits, and has a current list ('block'); else a single day with orders
-- ('day', listed in reporting.day_leaders); or a block or day without any order ('empty').
create function reporting.window_pieces(first_day date, last_day date)
returns table (level integer, piece_start date, piece_end date, kind text)
language plpgsql stable
as $$
#variable_conflict use_column
declare
    x date := first_day;
    levels integer[] := array(select l.level from reporting.block_levels() as l (level) order by 1 desc);
    j integer;
begin
    while x <= last_day loop
        kind := null;
        foreach j in array levels loop
            if reporting.block_start(x, j) = x and x + ((1 << j) - 1) <= last_day then
                if exists (select from reporting.block_leader_bounds as b where b.level = j and b.block_start = x) then
                    kind := 'block';
                elsif not exists (select from reporting.daily_totals as t
                                  where t.order_date between x and x + ((1 << j) - 1)) then
                    kind := 'empty';
                end if;
                if kind is not null then
                    level := j;
                    exit;
                end if;
            end if;
        end loop;
        if kind is null then
            level := 0;
            kind := case when exists (select from reporting.daily_totals as t where t.order_date = x) then 'day' else 'empty' end;
        end if;
        piece_start := x;
        piece_end := x + ((1 << level) - 1);
        return next;
        x := x + (1 << level);
    end loop;
end;
$$;

-- Any change the per-day triggers follow drops the blocks holding the days it touched.
create function reporting.drop_blocks_of(days date[]) returns void
language sql
as $$
    with blocks as (
        select distinct l.level, reporting.block_start(d.day, l.level) as block_start
        from unnest(days) as d (day)
        cross join reporting.block_levels() as l (level)
    ),

    bounds as (
        delete from reporting.block_leader_bounds as b
        using blocks as x
        where b.level = x.level and b.block_start = x.block_start
    )

    delete from reporting.block_leaders as l
    using blocks as x
    where l.level = x.level and l.block_start = x.block_start;
$$;

create function reporting.track_block_leaders()
returns trigger
language plpgsql
as $$
begin
    if tg_op = 'TRUNCATE' then
        delete from reporting.block_leader_bounds;
        delete from reporting.block_leaders;
    elsif tg_op = 'INSERT' then
        perform reporting.drop_blocks_of(array(select distinct order_date from new_rows));
    elsif tg_op = 'DELETE' then
        perform reporting.drop_blocks_of(array(select distinct order_date from old_rows));
    else
        perform reporting.drop_blocks_of(array(
            select distinct order_date from (
                (select order_id, order_date, customer_key, price from new_rows
                 except select order_id, order_date, customer_key, price from old_rows)
                union all
                (select order_id, order_date, customer_key, price from old_rows
                 except select order_id, order_date, customer_key, price from new_rows)
            ) as changed));
    end if;
    return null;
end;
$$;

create trigger fact_orders_block_leaders_insert
    after insert on warehouse.fact_orders
    referencing new table as new_rows
    for each statement execute function reporting.track_block_leaders();

create trigger fact_orders_block_leaders_update
    after update on warehouse.fact_orders
    referencing old table as old_rows new table as new_rows
    for each statement execute function reporting.track_block_leaders();

create trigger fact_orders_block_leaders_delete
    after delete on warehouse.fact_orders
    referencing old table as old_rows
    for each statement execute function reporting.track_block_leaders();

create trigger fact_orders_block_leaders_truncate
    after truncate on warehouse.fact_orders
    for each statement execute function reporting.track_block_leaders();

-- Report 3 for a window not kept: 0014's function with the window cut into pieces (blocks where
-- they are current, days elsewhere) instead of days. A contender's exact total and order count
-- come from the block lists it is on, and from one lookup per day with orders everywhere else.
create or replace function reporting.top_customers(as_of date default current_date, days integer default 7, n integer default 10)
returns table (
    rank bigint,
    customer_name text,
    total_value numeric,
    order_count bigint,
    window_start date,
    window_end date
)
language plpgsql stable
set work_mem = '64MB'
set jit = off
as $$
#variable_conflict use_column
declare
    first_day date;
    kept boolean;
    bound numeric;
    unlisted_days bigint;
    threshold numeric;
    contenders integer[];
    -- The window's pieces (reporting.window_pieces) with their bounds, as arrays: the function
    -- also runs in read-only transactions and on standbys, where no temporary table can be made.
    piece_levels integer[];
    piece_starts date[];
    piece_ends date[];
    piece_kinds text[];
    piece_bounds numeric[];
begin
    if top_customers.days is null or top_customers.days < 1 then
        raise exception 'reporting.top_customers: days must be at least 1, not %', coalesce(top_customers.days::text, 'null')
            using errcode = 'invalid_parameter_value';
    end if;
    first_day := top_customers.as_of - (top_customers.days - 1);

    kept := exists (
        select from reporting.window_summaries as s
        where s.window_end = top_customers.as_of and s.days = top_customers.days
          and (s.customers <= s.ranked_depth or top_customers.n <= s.ranked_depth)
    );

    if not kept then
        if top_customers.n >= 1 then
            select array_agg(p.level order by p.piece_start), array_agg(p.piece_start order by p.piece_start),
                   array_agg(p.piece_end order by p.piece_start), array_agg(p.kind order by p.piece_start),
                   array_agg(p.bound order by p.piece_start),
                   coalesce(sum(p.bound), 0),
                   -- Every day with orders must have its list (the bound is null where one is missing).
                   count(*) filter (where p.bound is null)
            into piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds, bound, unlisted_days
            from (
                select w.level, w.piece_start, w.piece_end, w.kind,
                       case w.kind
                           when 'block' then (select b.unlisted_max from reporting.block_leader_bounds as b
                                              where b.level = w.level and b.block_start = w.piece_start)
                           when 'day' then (select b.unlisted_max from reporting.day_leader_bounds as b
                                            where b.order_date = w.piece_start)
                           else 0
                       end as bound
                from reporting.window_pieces(first_day, top_customers.as_of) as w
            ) as p;
        end if;

        if unlisted_days = 0 then
            -- What the lists know: each listed customer's total over the pieces it is listed on (a
            -- lower bound of its window total), and the bounds of those pieces.
            with listed as (
                select l.customer_key, sum(l.total_value) as known, sum(p.bound) as listed_bounds
                from (
                    select p.level, p.piece_start, d.customer_key, d.total_value
                    from unnest(piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds) as p (level, piece_start, piece_end, kind, bound)
                    join reporting.day_leaders as d on d.order_date = p.piece_start
                    where p.kind = 'day'
                    union all
                    select p.level, p.piece_start, b.customer_key, b.total_value
                    from unnest(piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds) as p (level, piece_start, piece_end, kind, bound)
                    join reporting.block_leaders as b on b.level = p.level and b.block_start = p.piece_start
                    where p.kind = 'block'
                ) as l
                join unnest(piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds) as p (level, piece_start, piece_end, kind, bound)
                  using (level, piece_start)
                group by l.customer_key
            ),

            cut as (
                select li.known from listed as li order by li.known desc offset top_customers.n - 1 limit 1
            )

            select c.known,
                   array(select li.customer_key from listed as li
                         where li.known + (bound - li.listed_bounds) >= c.known)
            into threshold, contenders
            from cut as c;
        end if;

        -- Unless nobody outside the lists can reach the n-th known total (then the contenders hold
        -- the answer), aggregate the window.
        if threshold is null or bound >= threshold then
            return query select * from reporting.aggregate_top_customers(top_customers.as_of, top_customers.days, top_customers.n);
            return;
        end if;
    end if;

    -- The candidates hold every customer at or above the n-th value (a kept week's ranking, or the
    -- contenders' exact totals), so the ranks among them are the ranks among all.
    return query
    with from_kept as (
        select r.customer_key, r.total_value, r.order_count
        from reporting.window_rankings as r
        where kept and r.window_end = top_customers.as_of and r.days = top_customers.days
        order by r.total_value desc
        fetch first coalesce(top_customers.n, 2147483647) rows with ties
    ),

    from_leaders as (
        select c.customer_key, sum(x.total_value) as total_value, sum(x.order_count)::bigint as order_count
        from unnest(contenders) as c (customer_key)
        cross join lateral (
            -- The blocks it is listed on: exact there.
            select b.total_value, b.order_count::bigint as order_count
            from unnest(piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds) as p (level, piece_start, piece_end, kind, bound)
            join reporting.block_leaders as b
              on b.level = p.level and b.block_start = p.piece_start and b.customer_key = c.customer_key
            where p.kind = 'block'
            union all
            -- Every other day with orders: one lookup in (order_date, customer_key).
            select t.total_value, t.order_count
            from unnest(piece_levels, piece_starts, piece_ends, piece_kinds, piece_bounds) as p (level, piece_start, piece_end, kind, bound)
            join reporting.daily_totals as d on d.order_date between p.piece_start and p.piece_end
            cross join lateral (
                select sum(f.price) as total_value, count(*) as order_count
                from warehouse.fact_orders as f
                where f.order_date = d.order_date and f.customer_key = c.customer_key
            ) as t
            where p.kind = 'day'
               or (p.kind = 'block' and not exists (
                       select from reporting.block_leaders as b
                       where b.level = p.level and b.block_start = p.piece_start and b.customer_key = c.customer_key))
        ) as x
        group by c.customer_key
    ),

    ranked as (
        select
            rank() over (order by c.total_value desc) as value_rank,
            (select dc.customer_name from warehouse.dim_customers as dc where dc.customer_key = c.customer_key) as customer_name,
            c.total_value,
            c.order_count
        from (select * from from_kept union all select * from from_leaders) as c
    )

    select r.value_rank, r.customer_name, r.total_value::numeric, r.order_count, first_day, top_customers.as_of
    from ranked as r
    order by r.value_rank, r.customer_name
    limit top_customers.n;
end;
$$;

comment on function reporting.top_customers(date, integer, integer) is
    'Report 3 for any window: top n customers by value over the days ending on as_of (inclusive).';
