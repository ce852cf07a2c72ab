"""What the device check expects of the network: the limits of its traffic light.

The citizen's device check applies them in the browser (``LIMITS`` in
``resources/web/static/js/verdict.js``) and the technical requirements text quotes them
(``resources/legal/<lang>/requirements.html``); a test keeps the three equal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class NetworkLimits:
    """Green from the ``good_*`` values on, yellow down to ``min_*`` / ``max_rtt_ms``, then red."""

    #: Enough for a clear picture in both directions.
    good_download_kbps: int = 1500
    good_upload_kbps: int = 800
    good_rtt_ms: int = 300
    #: Below these (or above ``max_rtt_ms``) a conversation is hardly possible.
    min_download_kbps: int = 400
    min_upload_kbps: int = 200
    max_rtt_ms: int = 1000

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


NETWORK_LIMITS = NetworkLimits()
