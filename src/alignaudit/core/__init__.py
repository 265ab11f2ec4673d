"""The bottom layer: errors, text cleaning, the data types and results every other layer shares,
and the verdict words. Imports nothing else of alignaudit."""
