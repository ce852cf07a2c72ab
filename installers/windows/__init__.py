"""The Windows installer: WiX source, built with wixl (msitools)."""
