"""ID-document assistance on a frozen video frame (the ID-check issue fills this)."""
