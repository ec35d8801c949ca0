-- 0019: find and share.
--
-- Search: GET /api/videos?q= matches a case-insensitive substring of the topic (ILIKE '%q%'). A btree
-- cannot serve a pattern with a leading wildcard; a trigram GIN index can, so a search stays an index
-- scan however many videos the table holds. The owner is the index's first column (btree_gin lets a
-- GIN index hold a plain equality column): one index scan then finds this owner's matches only, where
-- a topic-only index would collect every owner's matches and throw most of them away.
-- Both extensions are trusted (PostgreSQL 13+), so the database owner may create them without superuser;
-- Neon, embedded-postgres and PGlite (lib/db/pglite.ts loads them) all ship them.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;
create index videos_owner_topic_trgm on videos using gin (owner_id, topic gin_trgm_ops);

-- Share links: a revocable public, read-only page per video. Only the token's SHA-256 is stored, so
-- the table alone cannot open a shared page. One active share per video: sharing again returns it,
-- and a revoked share stays as a row (its hash keeps answering 404, never another video).
create table video_shares (
  id uuid primary key,
  video_id uuid not null references videos (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null,
  revoked_at timestamptz
);
create unique index video_shares_one_active on video_shares (video_id) where revoked_at is null;
