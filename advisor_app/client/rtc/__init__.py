"""The console's extensions of aiortc: congestion feedback, receive timing, send adaptation."""
