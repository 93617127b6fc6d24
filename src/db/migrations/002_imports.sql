-- Imports of contacts from CSV and .xlsx files, and the background jobs that run them.

-- One uploaded file and what became of it. Counts and `rows_done` are written in the same
-- transaction as each batch of contacts, so after a crash the import resumes where the
-- last committed batch ended.
create table imports (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  -- uploading (not visible yet), analyzing, ready, running, finished, failed
  status text not null,
  error text,
  file_name text not null,
  size_bytes bigint not null default 0,
  format text,
  delimiter text,
  encoding text,
  sheet text,
  columns jsonb,
  mapping jsonb,
  preview jsonb,
  on_duplicate text,
  tags text[],
  rows_total integer,
  rows_done integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  actor_type text not null,
  actor_id uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (workspace_id, id)
);
create index imports_uploading_idx on imports (workspace_id, created_at) where status = 'uploading';

-- The uploaded file itself, in 256 KB pieces: every server process can read it, and it
-- survives a restart, on PGlite and on a PostgreSQL server alike.
create table import_chunks (
  workspace_id uuid not null,
  import_id uuid not null,
  chunk_no integer not null,
  data bytea not null,
  primary key (workspace_id, import_id, chunk_no),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);

-- The rows an import rejected, as they were in the file, with the reason.
create table import_errors (
  workspace_id uuid not null,
  import_id uuid not null,
  row_no integer not null,
  cells jsonb not null,
  error text not null,
  primary key (workspace_id, import_id, row_no),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);

-- Background work that must survive a restart. A worker claims a queued job (or one whose
-- lease ran out because its worker died) and keeps renewing the lease while it works.
create table jobs (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null,
  subject_id uuid not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  worker text,
  lease_until timestamptz,
  attempts integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index jobs_claim_idx on jobs (created_at) where status in ('queued', 'running');
