@{
    Synopsis    = 'Asserts what a database or a schema snapshot must and must not contain; one result per assertion.'
    Description = @'
Test-OmegaSchema checks a schema against an expectation (-Expect) or against a reference snapshot (-Reference) and returns one OmegaSchemaTestResult per assertion (Target, Assertion, Expected, Actual, Passed). With -Quiet it returns a single boolean per tested schema: true when every assertion passed.

It tests a piped OmegaSchema, the Schema of a piped migration result (so a dry run pipes straight into it), or a database given with -Database, whose schema it reads.

-Expect takes a hashtable, or the path of a .psd1 or .json file holding one. Keys are case-insensitive; wherever a list is allowed, one string will do:

  Tables = @{ user_profiles = @{ ... } }   or   Tables = 'user_profiles', 'orders'   (existence only)
    Columns     = @{ bio = 'text'; email = @{ Type = 'varchar(255)'; Nullable = $false; Default = ...; Identity = 'Always'; Generated; Collation; Comment } }
                  or Columns = 'bio', 'email'
    Indexes     = 'idx_name', @{ Name = ...; Method = 'gin'; Columns = 'preferences'; Include; Where = 'avatar_url IS NOT NULL'; Unique; Valid }
    Constraints = 'fk_name', @{ Type = 'ForeignKey'; Columns = 'user_id'; References = 'users'; Validated = $true }
    PrimaryKey  = 'id'
    Triggers    = 'trg_name', @{ Timing = 'Before'; Events = 'Update'; Level = 'Row'; Function = 'touch' }
    Kind, RowSecurity, Comment
    Absent      = @{ Columns = 'legacy'; Indexes; Constraints; Triggers }
  Views, MaterializedViews = 'v_active'  or  @{ v_active = @{ Materialized = $true } }
  Sequences = 'seq'   Types = @{ mood = 'sad', 'ok', 'happy' }   Functions = 'touch', 'app.f(integer)'
  Extensions = 'pgcrypto' or @{ pgcrypto = '1.3' }   Schemas = 'app'
  Absent = @{ Tables; Views; Columns = 'user_profiles.avatar_url'; Indexes = 'idx_x'; Constraints = 'table.name'; Triggers = 'table.name'; Sequences; Types; Functions; Extensions; Schemas }

Names may be bare or schema-qualified. An index, constraint or trigger may be named, or only described: then any one of the table's that matches every given property passes.

Type names are compared the way PostgreSQL means them: TEXT = text, int = integer = int4, varchar(20) = character varying(20), timestamptz = timestamp with time zone, serial = integer, int[] = integer[]; an unqualified type name matches it in any schema. Expressions (index predicates and keys, defaults, check constraints) are compared after the changes PostgreSQL makes when it prints them: extra parentheses, casts on constants, schema qualification and letter case outside quotes. Write IN (...) and BETWEEN the way PostgreSQL prints them (= ANY (ARRAY[...]), >= AND <=).

A malformed expectation (an unknown key, a value of the wrong shape, an unknown constraint type) is an error with ErrorId OmegaDb.InvalidSchemaExpectation that names the bad key by its path, such as Tables.user_profiles.Columns.bio.Typ, and nothing is tested.

-Reference passes when the schema has no difference from the reference (one passing result), otherwise fails once per difference that Compare-OmegaSchema reports.

In Pester, the same check is an assertion: $schema | Should -MatchOmegaSchema $expect (or a reference OmegaSchema). It is registered when OmegaDb is imported after Pester, and its failure message lists every failing assertion with expected and actual values.
'@
    Parameters  = @{
        InputObject = 'The schema to test: an OmegaSchema, or a migration result whose Schema property holds one. Accepts pipeline input.'
        Database    = 'A database to test: its schema is read first. Accepts an OmegaDatabase, or a connection string or URI, from the pipeline too.'
        Expect      = 'The expectation: a hashtable, or the path of a .psd1 or .json file holding one.'
        Reference   = 'A schema the tested one must equal.'
        Quiet       = 'Returns only true or false per tested schema.'
    }
    Examples    = @(
        @{
            Title   = 'Verify the user_profiles migration'
            Code    = '$expect = @{ Tables = @{ user_profiles = @{
    Columns = @{ avatar_url = ''text''; bio = ''text''; preferences = ''jsonb'' }
    Indexes = ''idx_user_profiles_preferences_gin'', @{ Name = ''idx_user_profiles_avatar_url''; Where = ''avatar_url IS NOT NULL'' } } } }
$sandbox | Test-OmegaSchema -Expect $expect'
            Remarks = 'One result per column type and index; failures show what was expected and what the database has.'
        }
        @{
            Title   = 'Check a dry run against a committed expectation'
            Code    = '$sandbox | Invoke-OmegaMigration -Path ./migrations -DryRun | Test-OmegaSchema -Expect ./expected-schema.psd1 -Quiet'
            Remarks = 'Tests the schema each migration left inside the dry run''s transaction, before it was rolled back.'
        }
        @{
            Title   = 'After an undo, nothing is left'
            Code    = 'Test-OmegaSchema -Database $sandbox -Expect @{ Absent = @{ Columns = ''user_profiles.avatar_url'', ''user_profiles.bio''; Indexes = ''idx_user_profiles_avatar_url'' } }'
            Remarks = 'Absent assertions pass when the objects do not exist.'
        }
        @{
            Title   = 'In a Pester test'
            Code    = 'Describe ''schema'' { It ''has the profile fields'' { Get-OmegaSchema $db | Should -MatchOmegaSchema ./expected-schema.psd1 } }'
            Remarks = 'A failure lists each failing assertion with expected and actual values.'
        }
    )
    Related     = @('Get-OmegaSchema', 'Compare-OmegaSchema', 'Invoke-OmegaMigration')
}
