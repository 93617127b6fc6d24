-- pg_restore runs with an empty search_path, and computes the generated column sort_name
-- on every restored contact: a function it calls must be named with its schema, or the
-- restore of a pg_dump backup fails ("function contacts_fold(text) does not exist").
-- Same result as before, so the stored values and indexes stay valid.
create or replace function contacts_sort_name(last_name text, first_name text) returns text
  language sql immutable parallel safe
  as $$ select case when last_name is null and first_name is null then E'\uffff'
    else public.contacts_fold(coalesce(last_name, '')) || E'\u0001' || public.contacts_fold(coalesce(first_name, '')) end $$;
