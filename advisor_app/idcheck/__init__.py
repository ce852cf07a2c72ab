"""ID-document assistance on the call's video (live hints, then a still): detection, image
quality, recapture signs, the machine-readable zone and its check digits."""
