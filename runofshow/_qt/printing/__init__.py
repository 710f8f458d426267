"""Printing: the crew's run sheet and the post-show report, drawn by Qt as PDF or on paper.

``run_sheet`` lays out the running order (``runofshow print``, File → Print run sheet…),
``report_pdf`` the post-show report (``runofshow report --pdf``); both page through
``table`` and draw their text with ``canvas`` in the bundled font, as text a PDF reader can
select. ``dialog.print_run_sheet_dialog`` is the window's menu item; ``words.WORDS`` its
words in both languages. Imported only when something is printed: never at start-up.
"""
