"""The signaling service: appointments, citizen pages, later waiting room and signaling relay."""
