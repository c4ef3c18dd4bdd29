-- 0004: a user's e-mail address (for notifications; none by default) and the language the
-- app and the e-mails speak to them in.

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru'));
