@{
    Synopsis    = 'Connects to a PostgreSQL database and returns an OmegaDatabase to pipe into the other OmegaDb cmdlets.'
    Description = @'
Connect-OmegaDatabase reads a postgres:// or postgresql:// URI (percent-encoded user name and password, IPv6 hosts in brackets, several hosts separated by commas, sslmode and the other libpq query parameters), a libpq keyword string (host=db dbname=app sslmode=require) or an Npgsql keyword string (Host=db;Database=app). With no connection string it uses DATABASE_URL, then the libpq variables PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGPASSFILE and PGSSLMODE. Whatever the string leaves out is filled from those variables, then from the password file, as libpq does.

It opens one connection to check that the database answers and records the server version. The password never appears in output, verbose or debug messages, errors or ToString(); GetConnectionUri() is the one way to get the full URI back.

-Environment Production marks a database that OmegaDb's safety rules protect: migrations there need a rehearsal first and run with a lock timeout.
'@
    Parameters  = @{
        ConnectionString = 'A postgres:// or postgresql:// URI, a libpq keyword string or an Npgsql keyword string. When omitted, DATABASE_URL is used, then the PG* environment variables. Accepts input from the pipeline.'
        Database         = 'An OmegaDatabase (or OmegaSandbox) to check again, for example to relabel it with -Name or -Environment, or to connect with other credentials given by -Credential. Accepts input from the pipeline.'
        Credential       = 'A user name and password that override those of the connection string. Use it to keep the password out of the URI, for example with Get-Credential or a secret vault.'
        Environment      = 'A label for the database, such as Production, Staging or Development. Production turns on the safety rules: a rehearsal is required before migrations, and DDL runs with a lock timeout.'
        Name             = 'A friendly name shown in tables and messages. Defaults to database@host (with the port when it is not 5432).'
    }
    Examples    = @(
        @{
            Title   = 'Production from DATABASE_URL'
            Code    = '$prod = Connect-OmegaDatabase $env:DATABASE_URL -Environment Production'
            Remarks = 'Connects to the database in DATABASE_URL and marks it as Production, so that Invoke-OmegaMigration insists on a rehearsal before it runs there.'
        }
        @{
            Title   = 'A URI with a password that needs encoding'
            Code    = 'Connect-OmegaDatabase "postgresql://app:p%40ss%3Aword@db.internal:5432/orders?sslmode=require"'
            Remarks = 'Special characters in the user name or password are percent-encoded: %40 for @, %3A for :, %2F for /, %25 for %.'
        }
        @{
            Title   = 'Keep the password out of the string'
            Code    = 'Connect-OmegaDatabase "host=db.internal dbname=orders" -Credential (Get-Credential app)'
            Remarks = 'A libpq keyword string with the credentials from a PSCredential.'
        }
        @{
            Title   = 'Mark a sandbox''s connection as a stand-in for production'
            Code    = '$box = New-OmegaSandbox; $standIn = $box | Connect-OmegaDatabase -Environment Production -Name prod-stand-in'
            Remarks = 'A piped database is checked again and relabelled; its credentials are kept.'
        }
        @{
            Title   = 'From the PG* variables'
            Code    = '$env:PGHOST = ''localhost''; $env:PGDATABASE = ''orders''; Connect-OmegaDatabase'
            Remarks = 'With no connection string and no DATABASE_URL, the libpq variables and the password file (~/.pgpass or PGPASSFILE) are used.'
        }
    )
    Notes       = 'ErrorIds: OmegaDb.InvalidConnectionUri, OmegaDb.InvalidConnectionString, OmegaDb.UnsupportedConnectionScheme, OmegaDb.InvalidConnectionParameter, OmegaDb.ConnectionFailed, OmegaDb.AuthenticationFailed, OmegaDb.DatabaseNotFound, OmegaDb.PermissionDenied, OmegaDb.ConnectionTimeout.'
    Related     = @('New-OmegaSandbox')
}
