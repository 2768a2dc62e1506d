using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

public class PostgresTypeNamesTests
{
    /// <summary>What a user may write, and what format_type prints for it.</summary>
    public static TheoryData<string, string> SameType => new()
    {
        { "int", "integer" },
        { "int4", "integer" },
        { "INTEGER", "integer" },
        { "serial", "integer" },
        { "int2", "smallint" },
        { "smallserial", "smallint" },
        { "int8", "bigint" },
        { "bigserial", "bigint" },
        { "float4", "real" },
        { "float(24)", "real" },
        { "float8", "double precision" },
        { "float", "double precision" },
        { "float(53)", "double precision" },
        { "Double  Precision", "double precision" },
        { "bool", "boolean" },
        { "varchar(20)", "character varying(20)" },
        { "VARCHAR", "character varying" },
        { "char varying(5)", "character varying(5)" },
        { "char(3)", "character(3)" },
        { "char", "character(1)" },
        { "character", "character(1)" },
        { "bpchar(3)", "character(3)" },
        { "bpchar", "bpchar" },
        { "\"char\"", "\"char\"" },
        { "decimal(12,2)", "numeric(12,2)" },
        { "numeric( 12 , 2 )", "numeric(12,2)" },
        { "timestamptz", "timestamp with time zone" },
        { "timestamptz(3)", "timestamp(3) with time zone" },
        { "timestamp(3) with time zone", "timestamp(3) with time zone" },
        { "TIMESTAMP WITH TIME ZONE", "timestamp with time zone" },
        { "timestamp", "timestamp without time zone" },
        { "timestamp without time zone", "timestamp without time zone" },
        { "timetz", "time with time zone" },
        { "time", "time without time zone" },
        { "varbit(8)", "bit varying(8)" },
        { "bit varying", "bit varying" },
        { "bit", "bit(1)" },
        { "interval", "interval" },
        { "interval day to second(3)", "interval day to second(3)" },
        { "int[]", "integer[]" },
        { "integer[]", "integer[]" },
        { "_int4", "integer[]" },
        { "int ARRAY", "integer[]" },
        { "int[3][3]", "integer[]" },
        { "text []", "text[]" },
        { "varchar(20)[]", "character varying(20)[]" },
        { "pg_catalog.text", "text" },
        { "pg_catalog.int4", "integer" },
        { "pg_catalog.\"char\"", "\"char\"" },
        { "\"int4\"", "integer" },
        { "mood", "public.mood" },
        { "MOOD", "public.mood" },
        { "mood[]", "public.mood[]" },
        { "public.mood", "public.mood" },
        { "\"Mood\"", "public.\"Mood\"" },
        { "jsonb", "jsonb" },
        { "uuid", "uuid" },
    };

    [Theory]
    [MemberData(nameof(SameType))]
    public void Matches_the_printed_name(string expected, string actual) =>
        Assert.True(PostgresTypeNames.Matches(expected, actual), $"'{expected}' should match '{actual}'");

    public static TheoryData<string, string> OtherType => new()
    {
        { "varchar(20)", "character varying(30)" },
        { "varchar(20)", "character varying" },
        { "int", "bigint" },
        { "int4", "smallint" },
        { "timestamp", "timestamp with time zone" },
        { "timestamptz", "timestamp without time zone" },
        { "time", "time with time zone" },
        { "char", "character(2)" },
        { "char", "\"char\"" },
        { "\"char\"", "character(1)" },
        { "float4", "double precision" },
        { "numeric(12,2)", "numeric(12,3)" },
        { "numeric", "numeric(12,2)" },
        { "int", "integer[]" },
        { "int[]", "integer" },
        { "text", "character varying" },
        { "json", "jsonb" },
        { "app.mood", "public.mood" },
        { "\"Mood\"", "public.mood" },
        { "mood", "public.moods" },
        { "bit", "bit varying" },
    };

    [Theory]
    [MemberData(nameof(OtherType))]
    public void Does_not_match_another_type(string expected, string actual) =>
        Assert.False(PostgresTypeNames.Matches(expected, actual), $"'{expected}' should not match '{actual}'");

    [Theory]
    [InlineData("INT", "integer")]
    [InlineData("varchar( 20 )", "character varying(20)")]
    [InlineData("timestamptz(6)[]", "timestamp(6) with time zone[]")]
    [InlineData("pg_catalog.bool", "boolean")]
    [InlineData("Public.Mood", "public.mood")]
    [InlineData("\"App\".\"Mood\"", "\"App\".\"Mood\"")]
    [InlineData("\"mood\"", "mood")]
    [InlineData("int  unsigned", "int unsigned")]
    public void Normalizes_to_the_printed_form(string written, string normalized) =>
        Assert.Equal(normalized, PostgresTypeNames.Normalize(written));
}
