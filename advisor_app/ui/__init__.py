"""The console's Qt layer: the only package that imports PySide6."""
