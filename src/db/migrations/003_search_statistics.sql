-- A search for a name fragment is `search_text like '%…%'`. PostgreSQL estimates how many
-- contacts match from the column's histogram; with the default 100 buckets every fragment
-- looks rare, so a fragment that one contact in two hundred carries was read through the
-- trigram index, all its matches fetched and sorted (23 ms at 1,000,000 contacts) instead
-- of walking the sort's index until the page is full (3.5 ms). A finer histogram tells
-- the two apart.
alter table contacts alter column search_text set statistics 1000;
