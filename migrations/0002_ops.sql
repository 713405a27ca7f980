-- Every load is recorded, including the ones that fail or find nothing new.
create table ops.load_batches (
    batch_id bigint generated always as identity primary key,
    source text not null,
    source_kind text not null check (source_kind in ('file', 'stdin', 'api')),
    content_sha256 text check (content_sha256 ~ '^[0-9a-f]{64}$'),
    mode text not null default 'snapshot' check (mode in ('snapshot', 'incremental')),
    status text not null default 'running'
        check (status in ('running', 'succeeded', 'failed', 'skipped')),
    is_forced boolean not null default false,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    rows_read bigint,
    rows_inserted bigint,
    rows_updated bigint,
    rows_unchanged bigint,
    rows_rejected bigint,
    rows_duplicate bigint,
    rows_missing bigint,
    duplicate_of_batch_id bigint references ops.load_batches (batch_id),
    error text,
    tool_version text not null,
    check (status = 'running' or finished_at is not null)
);

comment on table ops.load_batches is
    'One row per ingest or pull: running, succeeded, failed (with its error) or skipped (same content as an earlier batch).';
comment on column ops.load_batches.content_sha256 is 'SHA-256 of the decompressed input bytes; equal content is loaded once.';
comment on column ops.load_batches.rows_missing is 'Known orders that this snapshot no longer contains (kept in the warehouse).';

create index load_batches_content_idx on ops.load_batches (content_sha256) where status = 'succeeded';

-- A row that broke a rule: kept with its batch, line and raw text, never silently dropped.
create table ops.rejected_rows (
    batch_id bigint not null references ops.load_batches (batch_id) on delete cascade,
    line_number bigint not null check (line_number >= 1),
    column_name text,
    reason text not null,
    raw_record text not null,
    primary key (batch_id, line_number)
);

comment on table ops.rejected_rows is 'Rows refused by validation; line_number is the physical line where the record starts (header = 1).';

-- Where the supplier API pull left off.
create table ops.api_sync_state (
    source text primary key,
    high_water_mark timestamptz,
    last_batch_id bigint references ops.load_batches (batch_id),
    updated_at timestamptz not null default now()
);
