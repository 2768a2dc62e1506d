using Npgsql;

namespace OmegaDb.Sandboxes;

/// <summary>
/// The roles a dump of the source refers to (owners and grantees) and whether the sandbox can
/// honour them. A restore that says ALTER ... OWNER TO or GRANT ... TO a role the sandbox's
/// server lacks fails, so when any is missing or out of reach ownership and grants are left
/// out altogether (pg_restore --no-owner --no-privileges) and the caller is told which roles.
/// </summary>
internal static class SourceRoles
{
    // Owners and grantees of everything pg_dump writes; PUBLIC (grantee 0) drops out at the join.
    private const string ReferencedSql = """
        WITH user_ns AS (
            SELECT oid, nspowner, nspacl FROM pg_catalog.pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
        ), refs(role) AS (
            SELECT nspowner FROM user_ns
            UNION SELECT (pg_catalog.aclexplode(nspacl)).grantee FROM user_ns WHERE nspacl IS NOT NULL
            UNION SELECT relowner FROM pg_catalog.pg_class c JOIN user_ns n ON n.oid = c.relnamespace
            UNION SELECT (pg_catalog.aclexplode(relacl)).grantee FROM pg_catalog.pg_class c JOIN user_ns n ON n.oid = c.relnamespace WHERE relacl IS NOT NULL
            UNION SELECT (pg_catalog.aclexplode(attacl)).grantee FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN user_ns n ON n.oid = c.relnamespace WHERE attacl IS NOT NULL
            UNION SELECT proowner FROM pg_catalog.pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
            UNION SELECT (pg_catalog.aclexplode(proacl)).grantee FROM pg_catalog.pg_proc p JOIN user_ns n ON n.oid = p.pronamespace WHERE proacl IS NOT NULL
            UNION SELECT typowner FROM pg_catalog.pg_type t JOIN user_ns n ON n.oid = t.typnamespace
            UNION SELECT defaclrole FROM pg_catalog.pg_default_acl
            UNION SELECT (pg_catalog.aclexplode(defaclacl)).grantee FROM pg_catalog.pg_default_acl
        )
        SELECT DISTINCT r.rolname FROM refs JOIN pg_catalog.pg_roles r ON r.oid = refs.role ORDER BY 1
        """;

    // Present, and the restoring user may act as it (ALTER ... OWNER TO needs membership).
    private const string UsableSql = """
        SELECT rolname FROM pg_catalog.pg_roles
        WHERE rolname = ANY(@names) AND pg_catalog.pg_has_role(current_user, oid, 'MEMBER')
        """;

    public static async Task<IReadOnlyList<string>> ReferencedAsync(NpgsqlConnection source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ReferencedSql, source);
        var roles = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }

    /// <summary>The referenced roles that the sandbox's user cannot restore ownership or grants to.</summary>
    public static async Task<IReadOnlyList<string>> UnusableAsync(NpgsqlConnection sandbox, IReadOnlyList<string> referenced, CancellationToken cancellationToken)
    {
        if (referenced.Count == 0)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(UsableSql, sandbox);
        command.Parameters.AddWithValue("names", referenced.ToArray());
        var usable = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            usable.Add(reader.GetString(0));
        }

        return referenced.Where(r => !usable.Contains(r)).ToList();
    }
}
