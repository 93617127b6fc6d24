-- The schema of Contacts. Every table of a tenant's data is keyed by workspace_id first
-- (primary keys and unique indexes alike), so it can be distributed by workspace_id.
create extension if not exists pg_trgm;
create extension if not exists unaccent;

-- unaccent() is only STABLE (its dictionary could change), so it cannot sit in an index
-- or a generated column; this wrapper names the dictionary and promises immutability.
create function contacts_fold(value text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  name text not null,
  default_country text not null default 'NL',
  languages text[] not null default '{en}',
  -- Signs this workspace's list cursors, so a tampered cursor is refused.
  cursor_secret bytea not null,
  created_at timestamptz not null default now()
);
create unique index workspaces_slug_key on workspaces (slug);

create table users (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  email text not null,
  password_hash text not null,
  role text not null check (role in ('admin', 'operator')),
  failed_logins integer not null default 0,
  failed_logins_since timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index users_email_key on users (workspace_id, lower(email));
-- Sign-in knows only the e-mail address, not the workspace.
create index users_email_idx on users (lower(email));

create table sessions (
  workspace_id uuid not null,
  token_hash bytea not null,
  user_id uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (workspace_id, token_hash),
  foreign key (workspace_id, user_id) references users (workspace_id, id) on delete cascade
);

create table api_tokens (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  role text not null check (role in ('admin', 'operator')),
  token_hash bytea not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index api_tokens_hash_key on api_tokens (workspace_id, token_hash);

-- Sorting by name puts contacts without a name after all named ones.
create function contacts_sort_name(last_name text, first_name text) returns text
  language sql immutable parallel safe
  as $$ select case when last_name is null and first_name is null then E'\uffff'
    else contacts_fold(coalesce(last_name, '')) || E'\u0001' || contacts_fold(coalesce(first_name, '')) end $$;

create table contacts (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  first_name text,
  last_name text,
  email text,
  phone text,
  -- The phone's digits as written internationally and nationally ("31612345678 0612345678"),
  -- so a search for digits finds a number however it was typed.
  phone_digits text,
  language text,
  timezone text,
  external_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_seen_at timestamptz,
  version integer not null default 1,
  sort_name text collate "C" generated always as (contacts_sort_name(last_name, first_name)) stored,
  search_text text generated always as (contacts_fold(
    coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
    coalesce(external_id, '') || ' ' || coalesce(phone_digits, ''))) stored,
  primary key (workspace_id, id)
);
create unique index contacts_email_key on contacts (workspace_id, lower(email));
create unique index contacts_phone_key on contacts (workspace_id, phone);
create unique index contacts_external_id_key on contacts (workspace_id, external_id);
create index contacts_created_idx on contacts (workspace_id, created_at, id);
create index contacts_updated_idx on contacts (workspace_id, updated_at, id);
create index contacts_last_seen_idx on contacts (workspace_id, (coalesce(last_seen_at, '-infinity')), id);
create index contacts_name_idx on contacts (workspace_id, sort_name, id);
create index contacts_language_idx on contacts (workspace_id, language, created_at, id);
create index contacts_search_idx on contacts using gin (search_text gin_trgm_ops);

create table tags (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index tags_name_key on tags (workspace_id, lower(name));

create table contact_tags (
  workspace_id uuid not null,
  contact_id uuid not null,
  tag_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, contact_id, tag_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, tag_id) references tags (workspace_id, id) on delete cascade
);
create index contact_tags_tag_idx on contact_tags (workspace_id, tag_id, contact_id);

create table audit_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id bigint generated always as identity,
  action text not null,
  actor_type text not null,
  actor_id uuid,
  contact_id uuid,
  before jsonb,
  after jsonb,
  details jsonb,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index audit_events_contact_idx on audit_events (workspace_id, contact_id, id);
