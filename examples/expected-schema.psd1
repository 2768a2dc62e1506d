# What user_profiles must look like after 002_user_profile_basic_fields.sql.
# Test-OmegaSchema -Expect ./examples/expected-schema.psd1, or Should -MatchOmegaSchema in Pester.
@{
    Tables = @{
        user_profiles = @{
            PrimaryKey = 'id'
            Columns    = @{
                id           = @{ Type = 'bigint'; Identity = 'Always' }
                user_id      = @{ Type = 'bigint'; Nullable = $false }
                display_name = 'varchar(80)'
                email        = 'text'
                avatar_url   = @{ Type = 'text'; Nullable = $true }
                bio          = @{ Type = 'text'; Nullable = $true }
                preferences  = @{ Type = 'jsonb'; Nullable = $true }
            }
            Indexes    = @(
                @{ Name = 'idx_user_profiles_preferences_gin'; Method = 'gin'; Columns = 'preferences' }
                @{ Name = 'idx_user_profiles_avatar_url'; Method = 'btree'; Columns = 'avatar_url'; Where = 'avatar_url IS NOT NULL' }
            )
        }
    }
}
