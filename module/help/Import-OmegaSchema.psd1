@{
    Synopsis    = 'Reads a schema snapshot written by Export-OmegaSchema.'
    Description = @'
Import-OmegaSchema returns the OmegaSchema stored in a file written by Export-OmegaSchema. The fingerprint is computed again from the content; when it differs from the one in the file (the file was edited by hand), a warning says so and the computed one is used. The imported schema has no Database; it compares equal to the live schema it was exported from.
'@
    Parameters  = @{
        Path = 'The file or files to read. Accepts pipeline input, also the FullName of files from Get-ChildItem.'
    }
    Examples    = @(
        @{
            Title   = 'Has production drifted from the committed schema?'
            Code    = 'Get-OmegaSchema $prod | Test-OmegaSchema -Reference (Import-OmegaSchema ./schema/production.json)'
            Remarks = 'One passing result when the live schema matches the file, otherwise one failed result per difference.'
        }
    )
    Related     = @('Export-OmegaSchema', 'Compare-OmegaSchema', 'Test-OmegaSchema')
}
