"""Qt user interface. Nothing in opassess/ may import from here."""
