-- A contact's tags live in one place: contacts.tag_ids, the sorted, distinct ids of its
-- tags. Every write of a contact's tags changes that array under the contact's row lock;
-- deleting a tag removes its id from every contact carrying it in the same transaction.
-- The relation contact_tags and the triggers that kept tag_ids equal to it go.

-- Once more from contact_tags, in case a row was written without its trigger.
update contacts c set tag_ids = coalesce(t.ids, '{}')
  from (select c2.workspace_id, c2.id,
               (select array_agg(ct.tag_id order by ct.tag_id) from contact_tags ct
                where ct.workspace_id = c2.workspace_id and ct.contact_id = c2.id) as ids
        from contacts c2) t
  where c.workspace_id = t.workspace_id and c.id = t.id and c.tag_ids is distinct from coalesce(t.ids, '{}');

drop trigger contact_tags_added on contact_tags;
drop trigger contact_tags_removed on contact_tags;
drop function contacts_sync_tag_ids();
drop table contact_tags;
