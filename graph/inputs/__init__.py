"""Inputs from outside the seeds: the zone workbook, article extraction, the national dataset, candidate pools."""
