"""The spreadsheet toolkit every import and export shares: cells written as data, never as formulas
(`cells`), and the checks an uploaded workbook or document passes before anything parses it (`guard`).

Reading, for every import: what to say about a file we cannot read (`detect`); a workbook's sheets and merged
ranges (`xlsx`) and its values streamed (`stream`); a table over merged cells (`grid`), its header row
(`header`), what a cell says as text (`text`) and as a number or a date (`values`); one `Problem` by row and
column (`problems`). The import flow: the upload form (`forms`), the file kept between preview and
confirmation (`uploads`), the preview's common part (`preview`) and the import commands' options and output
(`command`). Below luoshi.org: whatever needs a zone or its units is passed in by the caller."""
