"""Reports for people: gap and target tables, workbooks, chain-map pictures."""
