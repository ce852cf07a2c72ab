"""Build scripts of the installers (PyInstaller, MSI, DMG) and the check of a frozen build."""
