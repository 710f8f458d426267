"""The application: start-up from the command line, and the ``ShowHost`` that owns the show
(engine, journal session, agenda lifecycle) for every window to view."""
