"""The console's use cases without Qt: the ID check, the call; ``ui/`` only renders them.

May import ``core``, ``client`` and ``idcheck``; never PySide6 nor ``ui`` (a test checks it).
Each use case reports through a typed listener and is driven by plain method calls.
"""
