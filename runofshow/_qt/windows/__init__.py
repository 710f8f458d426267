"""The windows people look at: the MC's, the stage manager's, the speaker's confidence
display. Each is a view of the ``ShowHost``; none owns the show."""
