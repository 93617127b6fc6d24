-- Reaching contacts: the addresses they are known by on each channel, the workspace's
-- channel settings, and the conversations and messages sent and received.

-- One way of reaching a contact: (channel, address) is unique in a workspace. Deleting
-- the contact deletes its identities.
create table contact_identities (
  workspace_id uuid not null,
  channel text not null check (channel in ('email', 'whatsapp', 'sms', 'webchat', 'api')),
  address text not null,
  contact_id uuid not null,
  last_seen_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (workspace_id, channel, address),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- A contact's identities (its JSON), and the list's `channel` filter (an `exists` per contact).
create index contact_identities_contact_idx on contact_identities (workspace_id, contact_id, channel);

-- A channel of a workspace: settings in the clear (never a secret), secrets sealed with
-- AES-256-GCM under SECRET_KEY (see docs/channels.md).
create table channels (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  channel text not null check (channel in ('email', 'whatsapp', 'sms')),
  settings jsonb not null,
  secrets text not null,
  updated_by jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, channel)
);
-- A provider's webhook names the provider's account, not our workspace: Meta names the
-- phone_number_id, Twilio the AccountSid, Meta's verify handshake only the verify token.
-- These lookups are by design across workspaces. The table holds a row or three per
-- workspace, so on Citus it is a reference table (copied to every node) and the lookup
-- stays local; the indexes are not unique (a unique index must start with workspace_id),
-- and a PUT refuses a number another workspace has configured.
create index channels_whatsapp_number_idx on channels ((settings ->> 'phoneNumberId')) where channel = 'whatsapp';
create index channels_whatsapp_verify_idx on channels ((settings ->> 'verifyToken')) where channel = 'whatsapp';
create index channels_sms_account_idx on channels ((settings ->> 'accountSid')) where channel = 'sms';

create table conversations (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  channel text not null,
  address text not null,
  started_at timestamptz not null default now(),
  last_message_at timestamptz not null default now(),
  -- The last message from the contact: WhatsApp's 24-hour customer-service window.
  last_inbound_at timestamptz,
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index conversations_contact_idx on conversations (workspace_id, contact_id, last_message_at, id);

-- A message in or out. Outbound messages are their own queue: the sender claims a queued
-- one whose next attempt is due (`for update skip locked`), holds a lease while it talks
-- to the provider, and stores the provider's id in the same statement as the status.
create table messages (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  conversation_id uuid not null,
  contact_id uuid not null,
  direction text not null check (direction in ('in', 'out')),
  channel text not null,
  address text not null,
  subject text,
  text text,
  template jsonb,
  status text not null check (status in ('queued', 'sent', 'delivered', 'read', 'failed')),
  error jsonb,
  provider_id text,
  sent_by jsonb,
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  worker text,
  created_at timestamptz not null default now(),
  status_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade
);
-- Status webhooks find a message by the provider's id; a replayed inbound message is stored once.
create unique index messages_provider_key on messages (workspace_id, channel, provider_id) where provider_id is not null;
create index messages_conversation_idx on messages (workspace_id, conversation_id, created_at, id);
create index messages_outbox_idx on messages (next_attempt_at) where status = 'queued' and direction = 'out';
