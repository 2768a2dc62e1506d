@{
    Synopsis    = 'Writes a schema snapshot to a JSON file meant to be committed and diffed.'
    Description = @'
Export-OmegaSchema writes one OmegaSchema as indented JSON: properties in a fixed order, every list sorted, empty values left out, LF line endings, UTF-8 without BOM. The same schema always gives the same bytes, and exporting what Import-OmegaSchema read gives the file back byte for byte.

The file is written under a temporary name and renamed into place, so a failure never leaves half a file. An existing file is replaced unless -NoClobber is given.
'@
    Parameters  = @{
        Path        = 'The file to write.'
        InputObject = 'The schema to export. Accepts pipeline input, also the Schema property of a migration result.'
        NoClobber   = 'Fails instead of replacing an existing file.'
        PassThru    = 'Returns the written file.'
    }
    Examples    = @(
        @{
            Title   = 'Commit the production schema'
            Code    = 'Get-OmegaSchema $prod | Export-OmegaSchema ./schema/production.json
git diff ./schema/production.json'
            Remarks = 'A later export of a changed schema shows up as a readable diff.'
        }
    )
    Related     = @('Import-OmegaSchema', 'Get-OmegaSchema')
}
