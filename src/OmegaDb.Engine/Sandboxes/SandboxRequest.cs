namespace OmegaDb.Sandboxes;

public enum SandboxEngineChoice
{
    Auto,
    Local,
    Docker,
    Server,
}

/// <summary>What the user asked New-OmegaSandbox for.</summary>
public sealed record SandboxRequest
{
    public SandboxEngineChoice Engine { get; init; } = SandboxEngineChoice.Auto;

    public string? Name { get; init; }

    /// <summary>Local engine: the directory holding initdb and pg_ctl.</summary>
    public string? PostgresBin { get; init; }

    /// <summary>Server engine: the server to create the scratch database on.</summary>
    public OmegaDatabase? Server { get; init; }

    /// <summary>Docker engine: the major version for the image; defaults to the newest local one or 16.</summary>
    public int? MajorVersion { get; init; }

    /// <summary>The database to copy into the sandbox; a blank sandbox when null.</summary>
    public OmegaDatabase? From { get; init; }

    /// <summary>With <see cref="From"/>: the schema without any rows.</summary>
    public bool SchemaOnly { get; init; }

    /// <summary>With <see cref="From"/>: the schema, then up to this many rows per table (and the parents they reference).</summary>
    public int? SampleRows { get; init; }

    /// <summary>Whether only the source's schema is restored (the rows, if any, come later).</summary>
    internal bool CopiesSchemaOnly => SchemaOnly || SampleRows is not null;

    /// <summary>Local engine: a stopped cluster's data directory to copy instead of running initdb.</summary>
    internal LocalTemplate? LocalTemplate { get; init; }

    /// <summary>Server engine: a database on the same server to clone with CREATE DATABASE ... TEMPLATE.</summary>
    internal string? TemplateDatabase { get; init; }
}
