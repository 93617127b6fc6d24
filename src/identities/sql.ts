/** The SQL of a contact's identities as JSON, for the contact columns (alias `c`). */
export const IDENTITIES_JSON = `coalesce((select json_agg(json_build_object('channel', i.channel, 'address', i.address,
    'lastSeenAt', replace((i.last_seen_at at time zone 'UTC')::text, ' ', 'T') || 'Z')
    order by i.channel, i.address)
  from contact_identities i where i.workspace_id = c.workspace_id and i.contact_id = c.id), '[]'::json) as identities`;
