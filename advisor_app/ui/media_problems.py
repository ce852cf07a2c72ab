"""The console's words for the media layer's problems (camera, microphone, speaker, screen).

The media layer (``client/media``, no Qt) names each problem with a stable code
(:class:`~advisor_app.client.media.problems.Problem`); the advisor reads the sentence for that
code in the interface's language through Qt Linguist (context ``MediaProblems``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def media_problem_text(code: str) -> str:
    """The sentence for the media problem ``code`` (a device's own words for a code of the
    form ``camera-…`` this module does not know, a general one for anything else)."""
    texts = {
        "camera-not-found": QCoreApplication.translate(
            "MediaProblems",
            "Keine Kamera gefunden. Bitte schließen Sie eine Kamera an oder wählen "
            "Sie unter „Geräte“ eine andere. Das Gespräch läuft ohne Ihr Bild weiter.",
        ),
        "camera-busy": QCoreApplication.translate(
            "MediaProblems",
            "Die Kamera liefert kein Bild. Vermutlich wird sie gerade von einem "
            "anderen Programm verwendet (z. B. Teams oder Zoom): Bitte schließen Sie "
            "das Programm und versuchen Sie es erneut. Das Gespräch läuft ohne Ihr "
            "Bild weiter.",
        ),
        "camera-no-access": QCoreApplication.translate(
            "MediaProblems",
            "Die Konsole darf die Kamera nicht verwenden (fehlende Berechtigung). "
            "Bitte wenden Sie sich an die IT. Das Gespräch läuft ohne Ihr Bild "
            "weiter.",
        ),
        "camera-lost": QCoreApplication.translate(
            "MediaProblems",
            "Die Kamera liefert kein Bild mehr (getrennt?). Das Gespräch läuft ohne "
            "Ihr Bild weiter. Bitte schließen Sie die Kamera wieder an oder wählen "
            "Sie eine andere.",
        ),
        "microphone-not-found": QCoreApplication.translate(
            "MediaProblems",
            "Kein Mikrofon gefunden. Bitte schließen Sie ein Mikrofon oder Headset "
            "an. Das Gespräch läuft ohne Ihren Ton weiter.",
        ),
        "microphone-failed": QCoreApplication.translate(
            "MediaProblems",
            "Das Mikrofon lässt sich nicht öffnen. Vielleicht verwendet es ein "
            "anderes Programm. Das Gespräch läuft ohne Ihren Ton weiter.",
        ),
        "microphone-lost": QCoreApplication.translate(
            "MediaProblems",
            "Das Mikrofon liefert keinen Ton mehr (getrennt?). Das Gespräch läuft "
            "ohne Ihren Ton weiter. Bitte schließen Sie es wieder an oder wählen Sie "
            "ein anderes.",
        ),
        "speaker-not-found": QCoreApplication.translate(
            "MediaProblems",
            "Kein Lautsprecher gefunden. Bitte schließen Sie Lautsprecher oder ein "
            "Headset an. Bild und Chat laufen weiter.",
        ),
        "speaker-failed": QCoreApplication.translate(
            "MediaProblems",
            "Der Lautsprecher lässt sich nicht öffnen. Bild und Chat laufen weiter.",
        ),
        "speaker-lost": QCoreApplication.translate(
            "MediaProblems",
            "Der Lautsprecher ist nicht mehr verfügbar (getrennt?). Bild und Chat "
            "laufen weiter. Bitte schließen Sie ihn wieder an oder wählen Sie einen "
            "anderen.",
        ),
        "portaudio-missing": QCoreApplication.translate(
            "MediaProblems",
            "Die Audiobibliothek des Systems (PortAudio) fehlt. Ton ist nicht "
            "möglich; Bild und Chat laufen weiter. Bitte wenden Sie sich an die IT.",
        ),
        "screen-unavailable": QCoreApplication.translate(
            "MediaProblems",
            "Der Bildschirm kann nicht aufgenommen werden. Das Gespräch läuft ohne "
            "geteilten Bildschirm weiter.",
        ),
        "screen-not-found": QCoreApplication.translate(
            "MediaProblems",
            "Der gewählte Bildschirm ist nicht mehr angeschlossen. Bitte wählen Sie einen anderen.",
        ),
        "screen-lost": QCoreApplication.translate(
            "MediaProblems",
            "Der geteilte Bildschirm ist nicht mehr verfügbar (abgezogen oder "
            "abgeschaltet). Das Teilen wurde beendet; das Gespräch läuft weiter.",
        ),
        "window-unavailable": QCoreApplication.translate(
            "MediaProblems",
            "Das Fenster kann nicht aufgenommen werden. Das Gespräch läuft ohne "
            "geteiltes Fenster weiter.",
        ),
        "window-not-found": QCoreApplication.translate(
            "MediaProblems",
            "Das gewählte Fenster ist nicht mehr geöffnet. Bitte wählen Sie ein anderes.",
        ),
        "window-closed": QCoreApplication.translate(
            "MediaProblems",
            "Das geteilte Fenster wurde geschlossen. Die Freigabe ist beendet; das "
            "Gespräch läuft weiter.",
        ),
        "window-hidden": QCoreApplication.translate(
            "MediaProblems",
            "Das geteilte Fenster wurde minimiert oder ausgeblendet. Die Freigabe ist"
            " beendet; das Gespräch läuft weiter.",
        ),
        "camera-failed": QCoreApplication.translate(
            "MediaProblems",
            "Die Kamera kann nicht verwendet werden. Das Gespräch läuft ohne Ihr Bild weiter.",
        ),
        "screen-failed": QCoreApplication.translate(
            "MediaProblems",
            "Der Bildschirm kann nicht geteilt werden. Das Gespräch läuft weiter.",
        ),
    }
    if code in texts:
        return texts[code]
    device = code.split("-", 1)[0]
    if device in ("camera", "microphone", "speaker", "screen", "window"):
        return texts["screen-failed" if device == "window" else f"{device}-failed"]
    return QCoreApplication.translate(
        "MediaProblems", "Das Gerät kann nicht verwendet werden. Das Gespräch läuft weiter."
    )
