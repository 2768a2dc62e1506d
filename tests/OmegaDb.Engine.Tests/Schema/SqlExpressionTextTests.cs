using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

public class SqlExpressionTextTests
{
    /// <summary>What a user writes, and what PostgreSQL prints for it (pg_get_expr, pg_get_indexdef).</summary>
    public static TheoryData<string, string> Matching => new()
    {
        { "avatar_url IS NOT NULL", "(avatar_url IS NOT NULL)" },
        { "avatar_url is not null", "(avatar_url IS NOT NULL)" },
        { "avatar_url NOTNULL", "(avatar_url IS NOT NULL)" },
        { "lower(email)", "lower(email)" },
        { "lower(email)", "lower((email)::text)" },
        { "LOWER( email )", "lower(email)" },
        { "status = 'active'", "(status = 'active'::text)" },
        { "status = 'active'", "((status)::text = 'active'::text)" },
        { "status = 'active'::text", "(status = 'active'::text)" },
        { "deleted_at IS NULL AND status = 'active'", "((deleted_at IS NULL) AND (status = 'active'::text))" },
        { "a = 1 AND b = 2 AND c = 3", "((a = 1) AND (b = 2) AND (c = 3))" },
        { "(a = 1 AND b = 2) AND c = 3", "((a = 1) AND (b = 2) AND (c = 3))" },
        { "a = 1 OR b = 2 AND c = 3", "((a = 1) OR ((b = 2) AND (c = 3)))" },
        { "(a = 1 OR b = 2) AND c = 3", "(((a = 1) OR (b = 2)) AND (c = 3))" },
        { "NOT archived", "(NOT archived)" },
        { "NOT a = 1", "(NOT (a = 1))" },
        { "amount > -1", "(amount > '-1'::integer)" },
        { "amount >= 0.5", "(amount >= 0.5)" },
        { "total > 5000000000", "(total > '5000000000'::bigint)" },
        { "email LIKE '%@example.com'", "((email)::text ~~ '%@example.com'::text)" },
        { "email NOT ILIKE 'a%'", "(email !~~* 'a%'::text)" },
        { "a != b", "(a <> b)" },
        { "a IS DISTINCT FROM b", "(a IS DISTINCT FROM b)" },
        { "nextval('orders_id_seq'::regclass)", "nextval('public.orders_id_seq'::regclass)" },
        { "nextval('orders_id_seq')", "nextval('public.orders_id_seq'::regclass)" },
        { "now()", "now()" },
        { "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP" },
        { "'{}'", "'{}'::jsonb" },
        { "slugify(name)", "public.slugify(name)" },
        { "created_at DESC", "created_at DESC" },
        { "name text_pattern_ops", "name text_pattern_ops" },
        { "(a + b)", "((a + b))" },
        { "\"Mixed\" = 1", "(\"Mixed\" = 1)" },
        { "kind = 'A' -- the only kind indexed", "(kind = 'A'::text)" },
        { "CHECK (price > 0)", "CHECK ((price > (0)::numeric))" },
        { "SELECT id FROM users", " SELECT users.id\n   FROM public.users;" },
        { "CHECK (a > 0 AND b > 0)", "CHECK (((a > 0) AND (b > 0)))" },
        { "coalesce(nickname, name)", "COALESCE((nickname)::text, name)" },
        { "FOREIGN KEY (user_id) REFERENCES users(id)", "FOREIGN KEY (user_id) REFERENCES public.users(id)" },
    };

    [Theory]
    [MemberData(nameof(Matching))]
    public void Matches_what_PostgreSQL_prints(string expected, string actual) =>
        Assert.True(SqlExpressionText.Matches(expected, actual), $"'{expected}' should match '{actual}'");

    public static TheoryData<string, string> NotMatching => new()
    {
        { "avatar_url IS NULL", "(avatar_url IS NOT NULL)" },
        { "bio IS NOT NULL", "(avatar_url IS NOT NULL)" },
        { "status = 'Active'", "(status = 'active'::text)" },
        { "\"Mixed\" = 1", "(mixed = 1)" },
        { "upper(email)", "lower(email)" },
        { "lower(email)", "lower(email) DESC" },
        { "a = 1 OR b = 2 AND c = 3", "(((a = 1) OR (b = 2)) AND (c = 3))" },
        { "a = 1 AND b = 2", "((b = 2) AND (a = 1))" },
        { "a = 1", "((a = 1) AND (b = 2))" },
        { "a + b * c", "((a + b) * c)" },
        { "created_at::date = '2024-01-01'", "(created_at = '2024-01-01'::timestamp with time zone)" },
        { "amount > 1", "(amount > '-1'::integer)" },
        { "code = '1'", "(code = 1)" },
        { "app.slugify(name)", "public.slugify(name)" },
        { "nextval('other_seq'::regclass)", "nextval('public.orders_id_seq'::regclass)" },
        { "a < b", "(a > b)" },
        { "NOT archived", "archived" },
        { "CHECK (a > 0 OR b > 0)", "CHECK (((a > 0) AND (b > 0)))" },
        { "coalesce(a, b)", "coalesce((a, b))" },
        { "f(a + b * c)", "f(((a + b) * c))" },
    };

    [Theory]
    [MemberData(nameof(NotMatching))]
    public void Does_not_match_another_expression(string expected, string actual) =>
        Assert.False(SqlExpressionText.Matches(expected, actual), $"'{expected}' should not match '{actual}'");

    [Theory]
    [InlineData("(avatar_url IS NOT NULL)", "avatar_url is not null")]
    [InlineData("((status)::text = 'Active'::text)", "status::text = 'Active'")]
    [InlineData("((a = 1) OR ((b = 2) AND (c = 3)))", "a = 1 or b = 2 and c = 3")]
    [InlineData("(((a = 1) OR (b = 2)) AND (c = 3))", "(a = 1 or b = 2) and c = 3")]
    [InlineData("(NOT (a OR b))", "not (a or b)")]
    [InlineData("LOWER ( \"Email\" )", "lower(\"Email\")")]
    [InlineData("coalesce(a,b)", "coalesce(a, b)")]
    [InlineData("x = ANY (ARRAY['a'::text, 'b'::text])", "x = any (array['a', 'b'])")]
    public void Normalizes_to_one_canonical_text(string written, string normalized) =>
        Assert.Equal(normalized, SqlExpressionText.Normalize(written));

    [Fact]
    public void A_cast_the_expectation_writes_must_be_there() =>
        Assert.False(SqlExpressionText.Matches("email::text = 'a'", "(email = 'a'::text)"));
}
