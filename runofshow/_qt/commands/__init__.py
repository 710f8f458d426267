"""The command table (``runofshow.core.commands``) as Qt actions, menus and buttons."""
