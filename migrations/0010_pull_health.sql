-- How the supplier pulls are going, per supplier: written after every `warehouse pull` (one-off
-- or scheduled), success or failure, outside the load's transaction so a failure is kept.
-- `warehouse status`, the dashboard's /healthz and /metrics read it: a pull that fails before
-- anything is loaded (the API down, a refused token) leaves no row in ops.load_batches.
create table ops.pull_health (
    source text primary key,
    last_attempt_at timestamptz not null,
    last_success_at timestamptz,
    last_failure_at timestamptz,
    last_error text,
    consecutive_failures integer not null default 0 check (consecutive_failures >= 0)
);

comment on table ops.pull_health is 'Per supplier: the last pull attempt, success and failure, and how many failed in a row.';
