"""The spreadsheet toolkit every import and export shares: cells written as data, never as formulas
(`cells`), and the checks an uploaded workbook or document passes before anything parses it (`guard`)."""
