@{
    Synopsis    = 'Lists the differences between two schema snapshots, one OmegaSchemaChange per difference.'
    Description = @'
Compare-OmegaSchema compares a reference snapshot with another one and returns one OmegaSchemaChange for each object added or removed and for each property that differs (ObjectType, Name, Change, Property, ReferenceValue, DifferenceValue), sorted by name. It returns nothing when the schemas are equal.

When a table or view is added or removed, only that is reported, not each of its columns, indexes or constraints. Object types: Schema, Table, Column, Constraint, Index, Trigger, View, MaterializedView, Sequence, Type, Function, Extension.
'@
    Parameters  = @{
        Reference  = 'The snapshot to compare against (for example production). Accepts pipeline input.'
        Difference = 'The snapshot compared with it (for example the sandbox after a migration).'
    }
    Examples    = @(
        @{
            Title   = 'What did the migration change?'
            Code    = '$before = Get-OmegaSchema $sandbox
$sandbox | Invoke-OmegaMigration -Path ./migrations
Compare-OmegaSchema -Reference $before -Difference (Get-OmegaSchema $sandbox)'
            Remarks = 'Lists the columns, indexes and other objects the migration added, removed or changed.'
        }
        @{
            Title   = 'Production against a committed snapshot'
            Code    = 'Get-OmegaSchema $prod | Compare-OmegaSchema -Difference (Import-OmegaSchema ./schema.json)'
            Remarks = 'Shows drift between the live schema and the one in source control.'
        }
    )
    Related     = @('Get-OmegaSchema', 'Test-OmegaSchema', 'Import-OmegaSchema')
}
