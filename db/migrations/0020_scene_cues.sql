-- 0020: a scene's caption cues, timed from its synthesized narration ([{ text, startMs, endMs }], in ms from
-- the scene's start). Null when the provider reports no timing (and for scenes rendered before this), in
-- which case captions fall back to an estimate from the text.
alter table scenes add column cues jsonb check (cues is null or jsonb_typeof(cues) = 'array');
