-- 0005: a 128-bit random salt (32 hex digits) hashed with every new audit entry, so an entry's
-- hash reveals nothing of low-entropy content such as a vote (issue 17). Entries written
-- before it have none (NULL) and hash exactly as they were written.

ALTER TABLE audit ADD COLUMN salt TEXT;
