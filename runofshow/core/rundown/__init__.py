"""Rundowns: the running order as a producer keeps it in a spreadsheet, in and out.

``runofshow import`` reads an .xlsx or .csv rundown (``sheet`` reads the cells, ``columns``
finds what each column holds, ``values`` reads the times and durations a spreadsheet holds,
``importer`` turns the rows into an agenda draft and ``yamlout`` writes it as the YAML a
person would write, each value commented with the cell it came from). ``runofshow export``
writes an agenda back as a spreadsheet (``exporter``). openpyxl is imported only inside the
.xlsx functions, so nothing else in the core pays for it.
"""
