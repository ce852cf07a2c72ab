"""One lock for PortAudio: every stream opened, started, stopped or closed, every device list.

PortAudio's API is not thread-safe (only a few calls are allowed while other threads use it),
and the console touches it from several threads: the microphone and speaker of a call open
their streams in worker threads, the devices page opens its own, the arrival chime plays from
a thread of its own, and PortAudio may be re-initialised to list devices anew. Two of those at
the same moment can crash in the audio driver, so they all take this lock. It is held only for
the calls themselves (milliseconds), never while audio plays.
"""

from __future__ import annotations

import threading

#: Re-entrant: a close inside an open that failed half-way takes it again.
PORTAUDIO = threading.RLock()
