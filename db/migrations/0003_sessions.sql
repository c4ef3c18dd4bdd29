-- 0003: session idle expiry (when a token was last used, written at most once a minute per
-- token) and audit lookups by actor for the API's audit list.

ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;
CREATE INDEX tokens_by_user ON tokens (user_id);
CREATE INDEX audit_by_actor ON audit (actor_username, seq);
