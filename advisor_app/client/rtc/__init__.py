"""The console's extensions of aiortc for weak networks (issue 14), kept in one place."""
