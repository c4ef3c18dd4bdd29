-- 0006: separation of duties (issue 17, finding 2). A token records who issued it: a user id
-- (an admin, or the user itself: every session comes from the user's own login), or 'system'
-- for `rsoflow token create`. Tokens from before 0006 are NULL (issuer unknown) but sessions,
-- which only a login ever made. Every audit entry written since records the token or session
-- that made it and that token's issuer, both hashed with the entry when present; entries
-- written before have none (NULL) and hash exactly as they were written.

ALTER TABLE tokens ADD COLUMN created_by TEXT;
UPDATE tokens SET created_by = CAST(user_id AS TEXT) WHERE kind = 'session';
ALTER TABLE audit ADD COLUMN token_id TEXT;
ALTER TABLE audit ADD COLUMN token_issued_by TEXT;
