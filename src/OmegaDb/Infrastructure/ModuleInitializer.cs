using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace OmegaDb.Commands;

/// <summary>
/// Hands OmegaDb.Engine from <see cref="ModuleLoadContext"/> to the default context when the
/// cmdlets first need it. Only the engine crosses: everything it references resolves inside
/// the module's context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private const string EngineAssemblyName = "OmegaDb.Engine";
    private static int _installed;

    public void OnImport() => Install();

    /// <summary>
    /// Called by OmegaDb.psm1 before it imports the cmdlets: PowerShell reads the cmdlets'
    /// attributes (OutputType names engine types) while importing, before OnImport runs.
    /// </summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal)
            ? ModuleLoadContext.Instance.LoadFromAssemblyName(name)
            : null;
}

/// <summary>Called by OmegaDb.psm1 when the module is removed.</summary>
public static class ModuleLifetime
{
    /// <summary>Removes the sandboxes this session made; they are disposable by definition.</summary>
    public static void OnRemove()
    {
        if (SandboxesWereUsed())
        {
            RemoveOwnedSandboxes();
        }
    }

    // Checked without touching engine types, so that removing a module that never made a
    // sandbox does not load the engine just to find nothing to do.
    private static bool SandboxesWereUsed() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "OmegaDb.Engine");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RemoveOwnedSandboxes() => OmegaDb.Sandboxes.SandboxManager.RemoveOwned();
}
