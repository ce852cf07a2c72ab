"""ID-document assistance on a frozen video frame: detection, image quality, recapture signs,
the machine-readable zone and its check digits."""
