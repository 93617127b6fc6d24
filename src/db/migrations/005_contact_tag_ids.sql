-- Each contact carries the ids of its tags (sorted), so a list or an export reads a
-- contact's tags from its own row instead of probing contact_tags once per contact (at a
-- million contacts the probes cost more than reading the contacts themselves).
-- contact_tags stays the relation every write goes through; the triggers below keep
-- tag_ids equal to it in the same transaction, whichever statement changes it (a tag
-- added or removed, a tag deleted, a contact deleted).
alter table contacts add column tag_ids uuid[] not null default '{}';

update contacts c set tag_ids = t.ids
  from (select workspace_id, contact_id, array_agg(tag_id order by tag_id) as ids
        from contact_tags group by workspace_id, contact_id) t
  where c.workspace_id = t.workspace_id and c.id = t.contact_id;

-- A tag filter: the planner knows from the array's statistics how common a tag is, and
-- reads a rare one through this index, a common one by walking the list's order.
create index contacts_tags_idx on contacts using gin (tag_ids);

-- Called once per statement with the changed contact_tags rows as "changed". The contacts
-- are locked first, in key order; the update that follows is a statement of its own, so it
-- sees every tag committed meanwhile by a transaction that held one of them. A contact
-- made by this same transaction is not locked (no other can see it yet), which spares an
-- import a lock per new contact. A contact whose tag_ids are already right (a writer that
-- filled them in) is not written again.
create function contacts_sync_tag_ids() returns trigger
  language plpgsql
  as $$
begin
  perform 1 from public.contacts c
    where (c.workspace_id, c.id) in (select x.workspace_id, x.contact_id from changed x)
      and c.xmin <> pg_current_xact_id()::xid
    order by c.workspace_id, c.id
    for update;
  update public.contacts c set tag_ids = t.ids
    from (select x.workspace_id, x.contact_id,
                 coalesce((select array_agg(ct.tag_id order by ct.tag_id) from public.contact_tags ct
                           where ct.workspace_id = x.workspace_id and ct.contact_id = x.contact_id),
                          '{}') as ids
          from (select distinct workspace_id, contact_id from changed) x) t
    where c.workspace_id = t.workspace_id and c.id = t.contact_id and c.tag_ids is distinct from t.ids;
  return null;
end $$;

create trigger contact_tags_added after insert on contact_tags
  referencing new table as changed
  for each statement execute function contacts_sync_tag_ids();

create trigger contact_tags_removed after delete on contact_tags
  referencing old table as changed
  for each statement execute function contacts_sync_tag_ids();
