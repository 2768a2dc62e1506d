-- The runbook's change: avatar, bio and preferences for user profiles, with the indexes the
-- profile page needs. Idempotent (IF NOT EXISTS), as the runbook's script was.
-- omega:up
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS bio TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS preferences JSONB;
CREATE INDEX IF NOT EXISTS idx_user_profiles_preferences_gin ON user_profiles USING GIN (preferences);
CREATE INDEX IF NOT EXISTS idx_user_profiles_avatar_url ON user_profiles (avatar_url) WHERE avatar_url IS NOT NULL;
-- omega:down
-- Dropping the columns deletes their data for good: take a backup first.
DROP INDEX IF EXISTS idx_user_profiles_preferences_gin;
DROP INDEX IF EXISTS idx_user_profiles_avatar_url;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS avatar_url;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS bio;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS preferences;
-- omega:verify
SELECT count(*) = 3 FROM information_schema.columns
 WHERE table_schema = 'public' AND table_name = 'user_profiles'
   AND column_name IN ('avatar_url', 'bio', 'preferences');
SELECT count(*) = 2 FROM pg_indexes
 WHERE schemaname = 'public' AND tablename = 'user_profiles'
   AND indexname IN ('idx_user_profiles_preferences_gin', 'idx_user_profiles_avatar_url');
