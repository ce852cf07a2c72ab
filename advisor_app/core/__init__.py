"""Pure domain of the advisor console: no I/O, no Qt, no database."""
