"""Widgets the windows are built of: the countdown, labels that fit their box, the running
order (painted and as a table model), the key overlay, the problems page, colours."""
