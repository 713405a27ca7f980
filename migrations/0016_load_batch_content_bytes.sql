-- How many bytes (decompressed) each load read. A regular file whose size differs from the
-- content of the latest successful snapshot cannot be that snapshot sent again, so the loader no
-- longer reads it once to fingerprint it before loading it (docs/loads.md, "Re-delivery"): the
-- fingerprint is taken while the rows stream, as for standard input. Null for earlier batches.
alter table ops.load_batches add column content_bytes bigint check (content_bytes >= 0);

comment on column ops.load_batches.content_bytes is
    'Decompressed input bytes of the content (content_sha256); null for batches before migration 0016.';
