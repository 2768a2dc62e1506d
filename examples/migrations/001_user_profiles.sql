-- The baseline: user profiles as the application has them before the runbook's change,
-- with a few thousand rows so that indexes have something to index.
-- omega:up
CREATE TABLE IF NOT EXISTS user_profiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL,
    email text NOT NULL,
    locale varchar(10) NOT NULL DEFAULT 'en-US',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE user_profiles IS 'One row per user: what the profile page shows.';
INSERT INTO user_profiles (user_id, display_name, email, locale, created_at)
SELECT g,
       (ARRAY['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara'])[1 + g % 6] || ' ' || (ARRAY['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov'])[1 + (g / 6) % 6],
       'user' || g || '@example.com',
       (ARRAY['en-US', 'en-GB', 'de-DE', 'fr-FR'])[1 + g % 4],
       timestamptz '2024-01-01' + g * interval '37 minutes'
  FROM generate_series(1, 3000) AS g;
-- omega:down
DROP TABLE user_profiles;
-- omega:verify
SELECT count(*) > 0 FROM user_profiles;
