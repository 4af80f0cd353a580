"""The zone workbook: a template to fill in, and its import into seed files."""
