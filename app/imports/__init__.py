"""Reading documents (notices, plan tables, progress appendices) into a preview, then applying it.

The stages, each a module: `sources` reads the file, `documents` parses it (with `parsers/`),
`build` turns it into a preview (`preview` holds its values, `match` finds existing records,
`agencies` matches agency names, `diff` compares fields), `edits` applies the clerk's
corrections, `apply` writes it, `store` keeps uploads and previews between requests.
`services` is the one entry point used by the views and the `flask import` CLI."""
