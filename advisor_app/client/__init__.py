"""The console's network and media side, without Qt."""
