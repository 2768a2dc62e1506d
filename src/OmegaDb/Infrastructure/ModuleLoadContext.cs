using System.Reflection;
using System.Runtime.Loader;

namespace OmegaDb.Commands;

/// <summary>
/// The module's own AssemblyLoadContext (PowerShell's documented pattern for dependency
/// conflicts). OmegaDb.Engine, Npgsql and their dependencies live in the module's
/// <c>dependencies</c> folder and load here, so another module that ships another version of
/// Npgsql or Microsoft.Extensions.Logging.Abstractions never meets ours. Only the engine is
/// handed to the default context, through <see cref="ModuleInitializer"/>; the public types
/// in OmegaDb.Model live in the default context so that scripts can name them.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<HashSet<string>> FrameworkAssemblies = new(() =>
        new HashSet<string>(((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase));

    private static readonly Assembly SharedModelAssembly = typeof(OmegaDatabase).Assembly;

    private readonly string _directory;

    public ModuleLoadContext(string directory)
        : base("OmegaDb", isCollectible: false)
    {
        _directory = directory;
    }

    public static string DependencyDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)!, "dependencies");

    public static ModuleLoadContext Instance { get; } = new(DependencyDirectory);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The public types are shared: one OmegaDatabase type for scripts, cmdlets and engine.
        if (string.Equals(assemblyName.Name, SharedModelAssembly.GetName().Name, StringComparison.Ordinal))
        {
            return SharedModelAssembly;
        }

        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }

        // The runtime's own assemblies (System.Diagnostics.DiagnosticSource and friends) are
        // shared with the default context when it has a version at least as new: types such as
        // Activity must be the same type everywhere.
        if (FrameworkAssemblies.Value.Contains(assemblyName.Name!))
        {
            var shared = Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, assemblyName.Name, StringComparison.OrdinalIgnoreCase))
                ?? TryLoadFromDefault(assemblyName);
            if (shared is not null && shared.GetName().Version >= assemblyName.Version)
            {
                return shared;
            }
        }

        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) => IntPtr.Zero;

    private static Assembly? TryLoadFromDefault(AssemblyName name)
    {
        try
        {
            return Default.LoadFromAssemblyName(new AssemblyName(name.Name!));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
