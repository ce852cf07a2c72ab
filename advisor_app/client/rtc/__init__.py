"""The console's extensions of aiortc for weak networks, kept in one place: congestion feedback,
receive timing, send adaptation."""
