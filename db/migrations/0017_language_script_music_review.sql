-- 0017: what a request may now ask for besides a topic: the narration's language, the person's own
-- script, a music bed and its level, and a pause for review after planning. Rows written before this
-- keep the behaviour they were made with: English, planned script, no bed, no review.
alter table videos add column language text not null default 'en';
alter table videos add column script text;
alter table videos add column music text not null default 'none';
alter table videos add column music_volume real not null default 0 check (music_volume between 0 and 1);
alter table videos add column review boolean not null default false;
