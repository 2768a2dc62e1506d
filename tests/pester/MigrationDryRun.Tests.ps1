# Invoke-OmegaMigration -DryRun against a real server: the runbook's own dry-run script piped
# into Test-OmegaSchema, refusals of transaction control, rehearsal of what cannot run in a
# transaction, warnings for what a rollback cannot undo, and a corpus of scripts (plain, broken
# and hostile) after each of which the database must be exactly as before.

BeforeDiscovery {
    # Each case is one migration (002) run as a dry run against the seeded database.
    # Outcome: DryRun (rehearsed and rolled back), Failed (the server refused a statement; the
    # dry run is rolled back) or Refused (OmegaDb.DryRunRefused before anything runs).
    $script:corpus = @(
        @{ Name = 'plain DDL'; Outcome = 'DryRun'; Sql = @'
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, total numeric(12,2));
CREATE INDEX ON invoices (account_id);
ALTER TABLE accounts ADD COLUMN nickname text;
ALTER TABLE notes ALTER COLUMN body SET NOT NULL;
COMMENT ON TABLE invoices IS 'rolled back';
CREATE VIEW big_spenders AS SELECT * FROM accounts WHERE balance > 1000;
'@ }
        @{ Name = 'DML on every table'; Outcome = 'DryRun'; Sql = @'
INSERT INTO accounts (email, balance, mood) VALUES ('new@example.com', 5, 'ok');
UPDATE accounts SET balance = balance * 2;
DELETE FROM notes WHERE id % 2 = 0;
INSERT INTO app.settings VALUES ('theme', '"dark"') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
'@ }
        @{ Name = 'a rewrite of a table'; Outcome = 'DryRun'; Rewrites = 'app.settings'; Sql = "ALTER TABLE app.settings ALTER COLUMN value TYPE text USING value::text;" }
        @{ Name = 'an error in the middle of the script'; Outcome = 'Failed'; ErrorPattern = '23514'; Sql = @'
CREATE TABLE half_done (id int);
INSERT INTO half_done VALUES (1);
DELETE FROM notes;
INSERT INTO accounts (email) VALUES (NULL);
CREATE TABLE never_reached (id int);
'@ }
        @{ Name = 'a failing verify section'; Outcome = 'Failed'; ErrorPattern = 'verify section failed'; Sql = "-- omega:up`nDELETE FROM notes;`n-- omega:verify`nSELECT count(*) FROM notes;" }
        @{ Name = 'COMMIT then DROP TABLE'; Outcome = 'Refused'; Sql = "DELETE FROM notes;`nCOMMIT;`nDROP TABLE accounts CASCADE;" }
        @{ Name = 'END then DROP TABLE'; Outcome = 'Refused'; Sql = "UPDATE accounts SET balance = 0;`nEND;`nDROP TABLE notes;" }
        @{ Name = 'lower-case rollback'; Outcome = 'Refused'; Sql = "delete from notes;`nrollback;`ndrop table notes;" }
        @{ Name = 'ABORT'; Outcome = 'Refused'; Sql = "ABORT;`nTRUNCATE accounts CASCADE;" }
        @{ Name = 'PREPARE TRANSACTION'; Outcome = 'Refused'; Sql = "DELETE FROM notes;`nPREPARE TRANSACTION 'omega_escape';" }
        @{ Name = 'COMMIT PREPARED'; Outcome = 'Refused'; Sql = "COMMIT PREPARED 'omega_escape';" }
        @{ Name = 'COMMIT after a block comment'; Outcome = 'Refused'; Sql = "DELETE FROM notes; /* done */ COMMIT;" }
        @{ Name = 'commit work after a line comment'; Outcome = 'Refused'; Sql = "DELETE FROM notes;`n-- and now make it stick`ncommit work;" }
        @{ Name = 'COMMIT AND CHAIN'; Outcome = 'Refused'; Sql = "DELETE FROM notes;`nCOMMIT AND CHAIN;`nDROP TABLE notes;" }
        @{ Name = 'BEGIN ... COMMIT'; Outcome = 'Refused'; Sql = "BEGIN;`nDELETE FROM notes;`nCOMMIT;" }
        @{ Name = 'START TRANSACTION'; Outcome = 'Refused'; Sql = "START TRANSACTION ISOLATION LEVEL SERIALIZABLE;`nDELETE FROM notes;" }
        @{ Name = 'End Transaction in mixed case'; Outcome = 'Refused'; Sql = "DELETE FROM notes;`nEnd Transaction;" }
        @{ Name = 'a COMMIT after an E-string ending in an escaped backslash'; Outcome = 'Refused'; Sql = "SELECT E'\\';`nCOMMIT;`nDROP TABLE notes; --'" }
        @{ Name = 'a COMMIT after a standard string ending in a backslash'; Outcome = 'Refused'; Sql = "SELECT 'a\';`nCOMMIT;`nDROP TABLE notes; --'" }
        @{ Name = 'a COMMIT between identifiers that contain dollar signs'; Outcome = 'Refused'; Sql = "SELECT 1 AS a`$q`$;`nCOMMIT;`nSELECT 2 AS b`$q`$;" }
        @{ Name = 'COMMIT in the verify section'; Outcome = 'Refused'; Sql = "-- omega:up`nDELETE FROM notes;`n-- omega:verify`nSELECT true;`nCOMMIT;" }
        @{ Name = 'END in the verify section of a later migration'; Outcome = 'Refused'; Sql = "DELETE FROM notes;"; Second = "-- omega:up`nUPDATE accounts SET balance = 0;`n-- omega:verify`n/* check */ END;`nSELECT true;" }
        @{ Name = 'COMMIT inside strings and a quoted identifier'; Outcome = 'DryRun'; Sql = @'
INSERT INTO notes (account_id, body) VALUES (1, 'COMMIT; DROP TABLE accounts;');
UPDATE accounts SET email = E'it\'s; COMMIT; --' WHERE id = 1;
CREATE TABLE "odd; COMMIT; name" (id int);
INSERT INTO "odd; COMMIT; name" VALUES (1);
'@ }
        @{ Name = 'COMMIT inside comments, nested ones too'; Outcome = 'DryRun'; Sql = @'
/* COMMIT; */ DELETE FROM notes; -- COMMIT;
/* outer /* nested COMMIT; */ still a comment; END; */
UPDATE accounts SET balance = 0;
'@ }
        @{ Name = 'COMMIT inside function and procedure bodies that are only defined'; Outcome = 'DryRun'; Sql = @'
CREATE FUNCTION app.bump() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE accounts SET balance = balance + 1;
END;
$fn$;
SELECT app.bump();
CREATE PROCEDURE app.batch() LANGUAGE plpgsql AS $$ BEGIN DELETE FROM notes; COMMIT; END $$;
CREATE FUNCTION app.one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
'@ }
        @{ Name = 'a procedure that commits, called'; Outcome = 'Failed'; ErrorPattern = '2D000'; Sql = @'
CREATE PROCEDURE app.purge() LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM notes;
    COMMIT;
    DROP TABLE notes;
END
$$;
CALL app.purge();
'@ }
        @{ Name = 'a DO block that commits'; Outcome = 'Failed'; ErrorPattern = '2D000'; Sql = "DO `$`$ BEGIN DELETE FROM notes; COMMIT; END `$`$;" }
        @{ Name = 'a DO block that EXECUTEs a COMMIT'; Outcome = 'Failed'; ErrorPattern = 'COMMIT|transaction'; Sql = "DO `$`$ BEGIN DELETE FROM notes; EXECUTE 'COMMIT'; END `$`$;" }
        @{ Name = 'a DO block with an IF and END IF'; Outcome = 'DryRun'; Sql = @'
DO $body$
BEGIN
    IF (SELECT count(*) FROM accounts) > 0 THEN
        UPDATE accounts SET mood = 'happy';
    END IF;
END
$body$;
'@ }
        @{ Name = 'SET search_path to another schema'; Outcome = 'DryRun'; Sql = @'
CREATE SCHEMA elsewhere;
SET search_path = elsewhere;
CREATE TABLE accounts (id int);
INSERT INTO accounts VALUES (1);
SELECT set_config('search_path', 'app', false);
'@ }
        @{ Name = 'unqualified names right after a search_path change'; Outcome = 'DryRun'; Sql = @'
-- omega:up
INSERT INTO accounts (email) VALUES ('leak-check@example.com');
-- omega:verify
SELECT current_setting('search_path') = '"$user", public';
SELECT count(*) = 1 FROM public.accounts WHERE email = 'leak-check@example.com';
'@ }
        @{ Name = 'SET SESSION AUTHORIZATION to an unprivileged role'; Outcome = 'Failed'; ErrorPattern = '42501'; Sql = "SET SESSION AUTHORIZATION omega_corpus_nobody;`nDROP TABLE accounts CASCADE;" }
        @{ Name = 'SET ROLE, then writes'; Outcome = 'Failed'; ErrorPattern = '42501'; Sql = "SET ROLE omega_corpus_nobody;`nDELETE FROM notes;" }
        @{ Name = 'releasing a savepoint, then rolling back to it'; Outcome = 'Failed'; ErrorPattern = '3B001'; Sql = "SAVEPOINT a;`nDELETE FROM notes;`nRELEASE a;`nROLLBACK TO a;" }
        @{ Name = 'savepoints rolled back to and released'; Outcome = 'DryRun'; Sql = "SAVEPOINT a;`nDELETE FROM notes;`nROLLBACK TO SAVEPOINT a;`nSAVEPOINT b;`nUPDATE accounts SET balance = -1;`nRELEASE SAVEPOINT b;" }
        @{ Name = 'LOCK TABLE'; Outcome = 'DryRun'; Sql = "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;`nUPDATE accounts SET balance = 0;" }
        @{ Name = 'TRUNCATE with RESTART IDENTITY'; Outcome = 'DryRun'; Sql = "TRUNCATE accounts, notes RESTART IDENTITY CASCADE;" }
        @{ Name = 'ALTER TYPE ... ADD VALUE'; Outcome = 'DryRun'; Sql = "ALTER TYPE mood ADD VALUE 'ecstatic';" }
        @{ Name = 'CREATE TABLE AS and a materialized view'; Outcome = 'DryRun'; Sql = "CREATE TABLE accounts_copy AS SELECT * FROM accounts;`nCREATE MATERIALIZED VIEW note_counts AS SELECT account_id, count(*) FROM notes GROUP BY 1;" }
        @{ Name = 'DROP SCHEMA ... CASCADE, public included'; Outcome = 'DryRun'; Sql = "DROP SCHEMA app CASCADE;`nDROP SCHEMA public CASCADE;" }
        @{ Name = 'dropping the history table'; Outcome = 'Failed'; ErrorPattern = 'recording it.*migration_history'; Sql = "DROP SCHEMA omegadb CASCADE;" }
        @{ Name = 'nextval and setval'; Outcome = 'DryRun'; Warning = 'nextval\(\) changes a sequence'; Warning2 = 'setval\(\) changes a sequence'; Sql = "SELECT nextval('app.ticket_seq');`nSELECT setval('accounts_id_seq', 1000);" }
        @{ Name = 'VACUUM'; Outcome = 'DryRun'; Warning = 'Not rehearsable.*VACUUM'; Sql = "UPDATE accounts SET balance = 1;`nVACUUM accounts;" }
        @{ Name = 'CREATE INDEX CONCURRENTLY'; Outcome = 'DryRun'; Index = 'idx_notes_body'; Warning = 'Rehearsed in a changed form.*plain CREATE INDEX'; Sql = "CREATE INDEX CONCURRENTLY idx_notes_body ON notes (body);" }
        @{ Name = 'COPY TO a server file'; Outcome = 'DryRun'; Warning = 'COPY TO a file'; Sql = "COPY (SELECT id, email FROM accounts) TO '/tmp/omega-corpus-copy.csv' WITH (FORMAT csv);" }
        @{ Name = 'dblink to another server'; Outcome = 'Failed'; Warning = 'dblink_exec\(\) works through a separate dblink connection'; Sql = "CREATE EXTENSION IF NOT EXISTS dblink;`nSELECT dblink_exec('host=127.0.0.1 port=1 dbname=nowhere connect_timeout=1', 'DROP TABLE accounts');" }
        @{ Name = 'a session advisory lock'; Outcome = 'DryRun'; Warning = 'pg_advisory_lock\(\) takes a session-level advisory lock'; Sql = "SELECT pg_advisory_lock(4242);" }
        @{ Name = 'CREATE DATABASE'; Outcome = 'DryRun'; Warning = 'Not rehearsable.*CREATE DATABASE'; Sql = "CREATE DATABASE omega_corpus_escape;" }
        @{ Name = 'ALTER SYSTEM'; Outcome = 'DryRun'; Warning = 'Not rehearsable.*ALTER SYSTEM'; Sql = "ALTER SYSTEM SET work_mem = '77MB';" }
        @{ Name = 'DISCARD ALL'; Outcome = 'DryRun'; Warning = 'Not rehearsable.*DISCARD ALL'; Sql = "UPDATE accounts SET balance = 3;`nDISCARD ALL;" }
        @{ Name = 'prepared statements (not transactions)'; Outcome = 'DryRun'; Sql = "PREPARE q AS DELETE FROM notes;`nEXECUTE q;`nDEALLOCATE q;" }
        @{ Name = 'SET TRANSACTION READ ONLY after a write'; Outcome = 'Failed'; ErrorPattern = '25006.*read-only transaction'; Sql = "DELETE FROM notes;`nSET TRANSACTION READ ONLY;" }
        @{ Name = 'roles, grants and database settings'; Outcome = 'DryRun'; Sql = @'
CREATE ROLE omega_corpus_new LOGIN;
GRANT SELECT ON accounts TO omega_corpus_new;
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = %L', current_database(), '1MB'); END $$;
ALTER ROLE omega_corpus_nobody SET work_mem = '2MB';
'@ }
        @{ Name = 'a trigger that writes on every update'; Outcome = 'DryRun'; Sql = @'
CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notes (account_id, body) VALUES (NEW.id, 'audited');
    RETURN NEW;
END
$$;
CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION app.audit();
UPDATE accounts SET balance = balance + 1;
'@ }
        @{ Name = 'LISTEN and NOTIFY, temporary tables'; Outcome = 'DryRun'; Sql = "LISTEN omega_channel;`nNOTIFY omega_channel, 'hello';`nCREATE TEMP TABLE tmp_ids ON COMMIT DROP AS SELECT id FROM accounts;`nSET lock_timeout = 0;`nRESET ALL;" }
        @{ Name = 'ending its own session'; Outcome = 'Failed'; Warning = 'pg_terminate_backend\(\) ends another session'; Sql = "DELETE FROM notes;`nSELECT pg_terminate_backend(pg_backend_pid());" }
        @{ Name = 'a later migration failing after an earlier one passed'; Outcome = 'Failed'; ErrorPattern = '42P01'; Sql = "DELETE FROM notes;`nCREATE TABLE from_002 (id int);"; Second = "INSERT INTO from_002 VALUES (1);`nSELECT * FROM no_such_table;" }
    )
}

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-dryrun
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-dryrun-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-MigrationFolder([string] $Name, [hashtable] $Files) { TestHelpers\New-MigrationFolder -Root $work -Name $Name -Files $Files }
    $script:corpusDb = $null
    $script:caseNumber = 0

    # Everything a dry run must leave as it was, except sequence values: the schema
    # fingerprint, an md5 of every table's rows (the history table's included), and what
    # lives outside the database's tables: other databases, roles, role and database
    # settings, prepared transactions, advisory locks, postgresql.auto.conf.
    $script:stateSql = @'
SELECT 'rows ' || c.oid::regclass::text || ' ' || coalesce((xpath('/row/h/text()', query_to_xml(
         format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS h FROM %s t', ',', '', c.oid::regclass),
         true, true, '')))[1]::text, 'none')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_t%'
UNION ALL SELECT 'databases ' || string_agg(datname, ',' ORDER BY datname) FROM pg_database
UNION ALL SELECT 'roles ' || string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles
UNION ALL SELECT 'settings ' || coalesce(string_agg(array_to_string(setconfig, ','), ';' ORDER BY setdatabase, setrole), '') FROM pg_db_role_setting
UNION ALL SELECT 'prepared ' || count(*) FROM pg_prepared_xacts
UNION ALL SELECT 'advisory ' || count(*) FROM pg_locks WHERE locktype = 'advisory'
UNION ALL SELECT 'autoconf ' || coalesce(string_agg(name || '=' || setting, ',' ORDER BY name), '') FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'
ORDER BY 1
'@
    function Get-DatabaseState($Database) {
        [pscustomobject]@{
            Fingerprint = (Get-OmegaSchema $Database).Fingerprint
            Data        = (Invoke-TestSql $Database $stateSql) -join "`n"
        }
    }
}

AfterAll {
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'The runbook''s dry-run script' {
    BeforeAll {
        $script:db = New-ScratchDatabase @'
CREATE TABLE user_profiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO user_profiles (user_id, display_name, email)
SELECT g, 'user ' || g, 'user' || g || '@example.com' FROM generate_series(1, 500) g;
'@
        $script:folder = New-MigrationFolder runbook @{
            '001_baseline.sql'        = "CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());`n"
            '002_profile_fields.sql' = @'
-- omega:up
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS bio TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS preferences JSONB;
CREATE INDEX IF NOT EXISTS idx_user_profiles_preferences_gin ON user_profiles USING GIN (preferences);
CREATE INDEX IF NOT EXISTS idx_user_profiles_avatar_url ON user_profiles (avatar_url) WHERE avatar_url IS NOT NULL;
-- omega:down
DROP INDEX IF EXISTS idx_user_profiles_avatar_url;
DROP INDEX IF EXISTS idx_user_profiles_preferences_gin;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS preferences, DROP COLUMN IF EXISTS bio, DROP COLUMN IF EXISTS avatar_url;
-- omega:verify
SELECT count(*) = 3 FROM information_schema.columns
 WHERE table_name = 'user_profiles' AND column_name IN ('avatar_url', 'bio', 'preferences');
SELECT count(*) = 2 FROM pg_indexes
 WHERE tablename = 'user_profiles' AND indexname IN ('idx_user_profiles_preferences_gin', 'idx_user_profiles_avatar_url');
'@
        }
        # 001 is applied for real first, so that the history has a row the dry run must not touch.
        $db | Invoke-OmegaMigration -Path $folder -To 1 | Out-Null
        $script:expect = @{
            Tables = @{
                user_profiles = @{
                    Columns = @{ avatar_url = 'text'; bio = 'text'; preferences = 'jsonb' }
                    Indexes = 'idx_user_profiles_preferences_gin', @{ Name = 'idx_user_profiles_avatar_url'; Where = 'avatar_url IS NOT NULL' }
                }
            }
        }
    }

    It 'passes Test-OmegaSchema -Expect when piped from -DryRun, and leaves the database and the history as they were' {
        $before = Get-DatabaseState $db
        $before.Data | Should -Match 'migration_history'

        $tests = @($db | Invoke-OmegaMigration -Path $folder -DryRun | Test-OmegaSchema -Expect $expect)
        $tests.Count | Should -BeGreaterThan 5
        $tests | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
        $db | Invoke-OmegaMigration -Path $folder -DryRun | Test-OmegaSchema -Expect $expect -Quiet | Should -BeTrue

        $after = Get-DatabaseState $db
        $after.Fingerprint | Should -Be $before.Fingerprint
        $after.Data | Should -Be $before.Data
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Applied, Pending
        # The live database still fails the expectation: nothing was kept.
        $db | Test-OmegaSchema -Expect $expect -Quiet | Should -BeFalse
    }

    It 'reports what the migration would do: DryRun status, passed verify, the changes, no rewrite' {
        $results = @($db | Invoke-OmegaMigration -Path $folder -DryRun)
        $results.Count | Should -Be 1
        $r = $results[0]
        $r.Status | Should -Be DryRun
        $r.Version | Should -Be 2
        $r.Verify | Should -Be Passed
        $r.RewrittenTables | Should -BeNullOrEmpty
        $r.Locks | Where-Object { $_.Relation -eq 'public.user_profiles' -and $_.Mode -eq 'AccessExclusiveLock' } | Should -Not -BeNullOrEmpty
        $added = $r.Changes | Where-Object Change -EQ Added
        $added.Name | Should -Contain 'public.user_profiles.avatar_url'
        $added.Name | Should -Contain 'public.user_profiles.preferences'
        ($added | Where-Object ObjectType -EQ Index).Count | Should -Be 2
        $r.Schema | Should -MatchOmegaSchema $expect
    }

    It 'records the dry run on the sandbox as a rehearsal beside the migrations' {
        $log = Join-Path $folder '.omega/rehearsals.json'
        Test-Path $log | Should -BeTrue
        $rehearsals = (Get-Content $log -Raw | ConvertFrom-Json).Rehearsals
        $last = $rehearsals[-1]
        $last.DryRun | Should -BeTrue
        $last.Sandbox | Should -Be $db.Name
        $last.VerifyPassed | Should -BeTrue
        $last.Migrations.Version | Should -Be 2
        $last.FingerprintBefore | Should -Be (Get-OmegaSchema $db).Fingerprint
        # The rehearsal log is not a migration.
        (Get-OmegaMigration -Path $folder).Version | Should -Be 1, 2
    }
}

Describe 'A dry run that leaves statements out' {
    It 'warns that it was not recorded as a rehearsal, since it did not rehearse the whole migration' {
        $db = New-ScratchDatabase 'CREATE TABLE notes (id int PRIMARY KEY, body text);'
        $folder = New-MigrationFolder 'left-out' @{ '001_vacuum.sql' = "-- omega:up`nALTER TABLE notes ADD COLUMN tag text;`nVACUUM notes;`n" }
        $log = Join-Path $work 'left-out-rehearsals.json'
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -DryRun -RehearsalPath $log }
        $run.Error | Should -BeNullOrEmpty
        $run.Results.Status | Should -Be 'DryRun'
        ($run.Warnings -join "`n") | Should -Match 'Not recorded as a rehearsal: 1 statement'
        Test-Path $log | Should -BeFalse
    }
}

Describe 'Transaction control is refused before anything runs' {
    BeforeAll {
        $script:db = New-ScratchDatabase "CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);"
    }

    It 'names every offending statement with its file, line and column, and runs none of the migrations' {
        $folder = New-MigrationFolder refused @{
            '001_fine.sql'    = "CREATE TABLE fine (id int);`n"
            '002_commits.sql' = "-- omega:up`nDELETE FROM t;`n  commit;`nDROP TABLE t;`n/* later */ ROLLBACK;`n"
        }
        $before = Get-DatabaseState $db
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -DryRun }
        $run.Results | Should -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.DryRunRefused,*'
        $message = "$($run.Error)"
        $message | Should -Match '002_commits\.sql:3:3 commit'
        $message | Should -Match '002_commits\.sql:5:13 ROLLBACK'
        $message | Should -Match 'before anything ran'
        $after = Get-DatabaseState $db
        $after.Fingerprint | Should -Be $before.Fingerprint
        $after.Data | Should -Be $before.Data
        (Invoke-TestSql $db "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
    }
}

Describe 'Dry runs that try to escape: <Name>' -ForEach $corpus {
    BeforeAll {
        # One seeded database for the whole corpus; a fresh one only after a case broke it,
        # so that one escape does not fail every case after it.
        if (-not $script:corpusDb -or $script:corpusBroken) {
            $script:corpusBroken = $false
            $script:corpusDb = New-ScratchDatabase
            Invoke-TestSql $corpusDb "DO `$`$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'omega_corpus_nobody') THEN CREATE ROLE omega_corpus_nobody; END IF; END `$`$;" | Out-Null
            $script:seed = @'
CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text UNIQUE,
    balance numeric(12,2) NOT NULL DEFAULT 0,
    mood mood,
    CONSTRAINT email_required CHECK (email IS NOT NULL)
);
CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint REFERENCES accounts ON DELETE CASCADE, body text);
CREATE TABLE app.settings (key text PRIMARY KEY, value jsonb);
CREATE SEQUENCE app.ticket_seq;
CREATE VIEW app.rich AS SELECT id, email FROM accounts WHERE balance > 100;
CREATE FUNCTION app.total() RETURNS numeric LANGUAGE sql STABLE AS 'SELECT sum(balance) FROM accounts';
INSERT INTO accounts (email, balance, mood) SELECT 'user' || g || '@example.com', g * 10, (ARRAY['sad','ok','happy']::mood[])[1 + g % 3] FROM generate_series(1, 50) g;
INSERT INTO notes (account_id, body) SELECT 1 + g % 50, 'note ' || g FROM generate_series(1, 200) g;
INSERT INTO app.settings VALUES ('theme', '"light"'), ('limits', '{"max": 10}');
'@
            $seedFolder = New-MigrationFolder corpus-seed @{ '001_seed.sql' = $seed }
            $corpusDb | Invoke-OmegaMigration -Path $seedFolder | Out-Null
            $script:baseline = Get-DatabaseState $corpusDb
        }
        $script:caseNumber++
        $files = @{ '001_seed.sql' = $seed; '002_case.sql' = $Sql }
        if ($Second) { $files['003_second.sql'] = $Second }
        $script:folder = New-MigrationFolder ("corpus-{0:00}" -f $caseNumber) $files
        $script:run = Invoke-Collecting { $corpusDb | Invoke-OmegaMigration -Path $folder -DryRun }
        $script:warnings = @($run.Results | ForEach-Object Warnings) + @($run.Warnings)
    }

    It 'ends as expected: <Outcome>' {
        switch ($Outcome) {
            'DryRun' {
                $run.Error | Should -BeNullOrEmpty
                $run.Results.Count | Should -BeGreaterThan 0
                $run.Results | ForEach-Object { $_.Status | Should -Be DryRun }
                $run.Results[0].Version | Should -Be 2
            }
            'Failed' {
                $run.Error | Should -Not -BeNullOrEmpty
                $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
                $run.Results[-1].Status | Should -Be Failed
                if ($ErrorPattern) { "$($run.Error)" | Should -Match $ErrorPattern }
            }
            'Refused' {
                $run.Results | Should -BeNullOrEmpty
                $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.DryRunRefused,*'
                "$($run.Error)" | Should -Match '00[23]_(case|second)\.sql:\d+:\d+'
            }
        }
        "$($run.Error)" | Should -Not -Match '   at (OmegaDb|Npgsql|System)\.'
        if ($Rewrites) { $run.Results[0].RewrittenTables | Should -Contain $Rewrites }
        if ($Index) { $run.Results[0].Schema.Tables.Indexes.Name | Should -Contain $Index }
        # What a rollback cannot undo, or what was not rehearsed as written, is said.
        if ($Warning) { ($warnings -join "`n") | Should -Match $Warning }
        if ($Warning2) { ($warnings -join "`n") | Should -Match $Warning2 }
    }

    It 'leaves the schema fingerprint, every table''s rows and the history as they were' {
        $after = Get-DatabaseState $corpusDb
        $script:corpusBroken = $after.Fingerprint -ne $baseline.Fingerprint -or $after.Data -ne $baseline.Data
        $after.Fingerprint | Should -Be $baseline.Fingerprint
        $after.Data | Should -Be $baseline.Data
        (Invoke-TestSql $corpusDb 'SELECT version FROM omegadb.migration_history') | Should -Be 1
    }
}

Describe 'Seeded corpus checks' {
    It 'ran at least 30 scripts, and the state it compared covers the seeded tables and the history' {
        $caseNumber | Should -BeGreaterOrEqual 30
        $baseline.Data | Should -Match 'rows accounts [0-9a-f]{32}'
        $baseline.Data | Should -Match 'rows app\.settings [0-9a-f]{32}'
        $baseline.Data | Should -Match 'rows omegadb\.migration_history [0-9a-f]{32}'
        $baseline.Data | Should -Match 'roles .*omega_corpus_nobody'
        Remove-Item /tmp/omega-corpus-copy.csv -ErrorAction Ignore
    }
}
