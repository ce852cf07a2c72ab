"""Pages of the main window: they compose widgets and start work through the task runner."""
