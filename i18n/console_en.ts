<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="de">
<context>
    <name>Accessibility</name>
    <message>
        <source>Kalender</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>Pfeiltasten wählen den Tag, Bild auf und Bild ab den Monat.</source>
        <translation>Arrow keys choose the day, Page Up and Page Down the month.</translation>
    </message>
    <message>
        <source>Tage des Monats</source>
        <translation>Days of the month</translation>
    </message>
    <message>
        <source>Voriger Monat</source>
        <translation>Previous month</translation>
    </message>
    <message>
        <source>Nächster Monat</source>
        <translation>Next month</translation>
    </message>
    <message>
        <source>Monat wählen</source>
        <translation>Choose month</translation>
    </message>
    <message>
        <source>Jahr wählen</source>
        <translation>Choose year</translation>
    </message>
    <message>
        <source>Jahr</source>
        <translation>Year</translation>
    </message>
</context>
<context>
    <name>AppointmentDetail</name>
    <message>
        <source>Wählen Sie links einen Termin aus.</source>
        <extracomment>&quot;Vertretung …&quot;: give the appointment to a team colleague.</extracomment>
        <translation>Select an appointment on the left.</translation>
    </message>
    <message>
        <source>Termin</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Thema</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Kundennummer</source>
        <translation>Customer number</translation>
    </message>
    <message>
        <source>Einladung auf</source>
        <translation>Invitation in</translation>
    </message>
    <message>
        <source>Zuständig</source>
        <translation>Advisor</translation>
    </message>
    <message>
        <source>Verlauf</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Bearbeiten</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Einladung erneut senden</source>
        <translation>Send invitation again</translation>
    </message>
    <message>
        <source>Absagen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Vertretung …</source>
        <translation>Substitute …</translation>
    </message>
    <message>
        <source>Den Termin einer Kollegin oder einem Kollegen Ihres Teams geben</source>
        <translation>Give the appointment to a colleague of your team</translation>
    </message>
    <message>
        <source>Teilnehmende</source>
        <translation>Participants</translation>
    </message>
    <message>
        <source>Zugang der Bürgerin / des Bürgers</source>
        <translation>Citizen&apos;s access</translation>
    </message>
    <message>
        <source>Persönlicher Link</source>
        <translation>Personal link</translation>
    </message>
    <message>
        <source>Link kopieren</source>
        <translation>Copy link</translation>
    </message>
    <message>
        <source>Im Browser testen</source>
        <translation>Test in browser</translation>
    </message>
    <message>
        <source>Einwahlcode (für die Einwahl ohne Link)</source>
        <translation>Dial-in code (to join without the link)</translation>
    </message>
    <message>
        <source>Dieser Termin ist abgesagt. Link und Einwahlcode gelten nicht mehr.</source>
        <translation>This appointment is cancelled. Link and dial-in code are no longer valid.</translation>
    </message>
    <message>
        <source>{day}, {time} ({duration})</source>
        <translation>{day}, {time} ({duration})</translation>
    </message>
    <message>
        <source>Absage erneut senden</source>
        <translation>Send cancellation again</translation>
    </message>
    <message>
        <source>{actor}: Vertretung an {to}</source>
        <translation>{actor}: reassigned to {to}</translation>
    </message>
    <message>
        <source>{actor}: übergeben an {to}</source>
        <translation>{actor}: handed over to {to}</translation>
    </message>
    <message>
        <source>eingelassen von {actor}</source>
        <translation>admitted by {actor}</translation>
    </message>
    <message>
        <source>ohne E-Mail</source>
        <translation>no e-mail</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>Termin bearbeiten</source>
        <extracomment>A checked :class:`AppointmentIn` the page should send to the service.</extracomment>
        <translation>Edit appointment</translation>
    </message>
    <message>
        <source>Neuer Termin</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <source>dd.MM.yyyy</source>
        <translation>dd/MM/yyyy</translation>
    </message>
    <message>
        <source>Datum</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Beginn</source>
        <translation>Start</translation>
    </message>
    <message>
        <source> Min.</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Dauer in Minuten</source>
        <translation>Duration in minutes</translation>
    </message>
    <message>
        <source>um</source>
        <translation>at</translation>
    </message>
    <message>
        <source>Uhr, Dauer</source>
        <translation>duration</translation>
    </message>
    <message>
        <source>z. B. Weiterbewilligung, Bewerbungsunterlagen</source>
        <translation>e.g. renewal of benefits, application documents</translation>
    </message>
    <message>
        <source>Vor- und Nachname</source>
        <translation>First and last name</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>name@beispiel.de</source>
        <translation>name@example.org</translation>
    </message>
    <message>
        <source>Ohne E-Mail-Adresse wird keine Einladung versendet; Link und Einwahlcode geben Sie dann selbst weiter.</source>
        <translation>Without an e-mail address no invitation is sent; you pass on the link and dial-in code yourself.</translation>
    </message>
    <message>
        <source>&amp;Termin</source>
        <translation>&amp;When</translation>
    </message>
    <message>
        <source>T&amp;hema</source>
        <translation>T&amp;opic</translation>
    </message>
    <message>
        <source>&amp;Bürgerin/Bürger</source>
        <translation>&amp;Citizen</translation>
    </message>
    <message>
        <source>&amp;Kundennummer</source>
        <translation>C&amp;ustomer number</translation>
    </message>
    <message>
        <source>&amp;E-Mail</source>
        <translation>&amp;E-mail</translation>
    </message>
    <message>
        <source>Sprache der Einladung</source>
        <translation>Invitation language</translation>
    </message>
    <message>
        <source>&amp;Sprache der Einladung</source>
        <translation>Invitation &amp;language</translation>
    </message>
    <message>
        <source>Weitere Teilnehmende</source>
        <translation>Further participants</translation>
    </message>
    <message>
        <source>Zeit ändern</source>
        <translation>Change time</translation>
    </message>
    <message>
        <source>Trotzdem speichern</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>Wird gespeichert…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Termin anlegen</source>
        <translation>Create appointment</translation>
    </message>
    <message>
        <source>{name} ({time})</source>
        <translation>{name} ({time})</translation>
    </message>
    <message>
        <source>einem anderen Termin</source>
        <translation>another appointment</translation>
    </message>
    <message>
        <source>Der Termin überschneidet sich mit {others}. Trotzdem speichern?</source>
        <translation>The appointment overlaps with {others}. Save anyway?</translation>
    </message>
    <message>
        <source>Bitte prüfen Sie die markierten Angaben.</source>
        <translation>Please check the marked entries.</translation>
    </message>
    <message>
        <source>Bitte prüfen Sie Ihre Angaben.</source>
        <translation>Please check your entries.</translation>
    </message>
</context>
<context>
    <name>AppointmentList</name>
    <message>
        <source>Termine des Tages</source>
        <extracomment>The selected appointment&apos;s id, or 0 when nothing is selected. Double click or Enter on an appointment.</extracomment>
        <translation>Appointments of the day</translation>
    </message>
    <message>
        <source>Enter oder Leertaste öffnet den Termin.</source>
        <translation>Enter or Space opens the appointment.</translation>
    </message>
    <message>
        <source>Zeit</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Bürgerin/Bürger · Thema</source>
        <translation>Citizen · Topic</translation>
    </message>
    <message>
        <source>Einladung</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <source>Einladung: {state}</source>
        <translation>Invitation: {state}</translation>
    </message>
</context>
<context>
    <name>ArrivalAlerts</name>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>{person} ist im Wartezimmer</source>
        <translation>{person} is in the waiting room</translation>
    </message>
    <message>
        <source>Termin um {time}</source>
        <translation>Appointment at {time}</translation>
    </message>
    <message>
        <source>{n} Personen sind neu im Wartezimmer</source>
        <translation>{n} people have entered the waiting room</translation>
    </message>
    <message>
        <source>{person} ({time})</source>
        <translation>{person} ({time})</translation>
    </message>
</context>
<context>
    <name>CallPage</name>
    <message>
        <source>Gespräch</source>
        <extracomment>The session ended (the advisor pressed &quot;Gespräch beenden&quot;, or the last one left). The open &quot;Aus dem Gespräch entfernen?&quot; question, if any.</extracomment>
        <translation>Call</translation>
    </message>
    <message>
        <source>Gesprächsdauer</source>
        <translation>Call duration</translation>
    </message>
    <message>
        <source>Gespräch beenden</source>
        <translation>End call</translation>
    </message>
    <message>
        <source>Eigenes Kamerabild</source>
        <translation>Own camera picture</translation>
    </message>
    <message>
        <source>Ausweis prüfen</source>
        <translation>Check ID</translation>
    </message>
    <message>
        <source>Die Person hält ihr Ausweisdokument in die Kamera; nichts wird gespeichert.</source>
        <translation>The person holds their identity document up to the camera; nothing is stored.</translation>
    </message>
    <message>
        <source>Bildschirm teilen</source>
        <translation>Share screen</translation>
    </message>
    <message>
        <source>Einen ganzen Bildschirm neben Ihrem Kamerabild zeigen.</source>
        <translation>Show a whole screen next to your camera picture.</translation>
    </message>
    <message>
        <source>Was Sie teilen</source>
        <translation>What you are sharing</translation>
    </message>
    <message>
        <source>Teilen beenden</source>
        <translation>Stop sharing</translation>
    </message>
    <message>
        <source>{name} hat die Einwilligung widerrufen. Ihre Daten zu diesem Termin wurden gelöscht.</source>
        <translation>{name} has revoked their consent. Their data for this appointment has been deleted.</translation>
    </message>
    <message>
        <source>Kamera: an</source>
        <translation>Camera: on</translation>
    </message>
    <message>
        <source>Kamera: aus</source>
        <translation>Camera: off</translation>
    </message>
    <message>
        <source>Kein Mikrofon</source>
        <translation>No microphone</translation>
    </message>
    <message>
        <source>Mikrofon: an</source>
        <translation>Microphone: on</translation>
    </message>
    <message>
        <source>Mikrofon: stumm</source>
        <translation>Microphone: muted</translation>
    </message>
    <message>
        <source>Nur Ton</source>
        <translation>Audio only</translation>
    </message>
    <message>
        <source>Nur Ton: Kamerabild nicht senden</source>
        <translation>Audio only: do not send the camera picture</translation>
    </message>
    <message>
        <source>Für schwache Verbindungen: Ihr Bild wird pausiert, der Ton läuft weiter.</source>
        <translation>For weak connections: your picture is paused, the sound carries on.</translation>
    </message>
    <message>
        <source>Schwache Verbindung – das Bild ist pausiert, der Ton läuft weiter.</source>
        <translation>Weak connection – the picture is paused, the sound carries on.</translation>
    </message>
    <message>
        <source>Nur Ton – Ihr Bild wird nicht gesendet, der Ton läuft weiter.</source>
        <translation>Audio only – your picture is not sent, the sound carries on.</translation>
    </message>
    <message>
        <source>Kamera aus</source>
        <translation>Camera off</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:#b3261e; font-weight:600&quot;&gt;● Verbindung unterbrochen&lt;/span&gt;</source>
        <translation>&lt;span style=&quot;color:#b3261e; font-weight:600&quot;&gt;● Connection interrupted&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Verbindung: wird gemessen …</source>
        <translation>Connection: measuring …</translation>
    </message>
    <message>
        <source>gut</source>
        <translation>good</translation>
    </message>
    <message>
        <source>mittel</source>
        <translation>fair</translation>
    </message>
    <message>
        <source>schlecht</source>
        <translation>poor</translation>
    </message>
    <message>
        <source>wird gemessen …</source>
        <translation>measuring …</translation>
    </message>
    <message>
        <source>Ihr Computer ist ausgelastet</source>
        <translation>Your computer is overloaded</translation>
    </message>
    <message>
        <source>Daten gehen unterwegs verloren</source>
        <translation>Data is being lost on the way</translation>
    </message>
    <message>
        <source>Die Verbindung ist langsam</source>
        <translation>The connection is slow</translation>
    </message>
    <message>
        <source>Das Bild kommt stockend an</source>
        <translation>The picture arrives jerkily</translation>
    </message>
    <message>
        <source> · Bild {fps} fps</source>
        <translation> · picture {fps} fps</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:{colour}; font-weight:600&quot;&gt;● Verbindung: {word}&lt;/span&gt; &amp;nbsp; Laufzeit {rtt} · Verlust {loss} · {rate} Mbit/s</source>
        <translation>&lt;span style=&quot;color:{colour}; font-weight:600&quot;&gt;● Connection: {word}&lt;/span&gt; &amp;nbsp; round trip {rtt} · loss {loss} · {rate} Mbit/s</translation>
    </message>
    <message>
        <source>Dauer: –</source>
        <translation>Duration: –</translation>
    </message>
    <message>
        <source>Dauer: {time}</source>
        <translation>Duration: {time}</translation>
    </message>
    <message>
        <source>Teilnehmende Person</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>Sie</source>
        <translation>You</translation>
    </message>
    <message>
        <source>{name} hat das Gespräch beendet.</source>
        <translation>{name} has ended the call.</translation>
    </message>
    <message>
        <source>Die Verbindung zu {name} ist abgebrochen; das Gespräch mit {name} ist beendet.</source>
        <translation>The connection to {name} was lost; the call with {name} has ended.</translation>
    </message>
    <message>
        <source>● Sie teilen ein Fenster ({title})</source>
        <translation>● You are sharing a window ({title})</translation>
    </message>
    <message>
        <source>Nur dieses Fenster wird geteilt, auch wenn andere darüber liegen.</source>
        <translation>Only this window is shared, even when others lie on top of it.</translation>
    </message>
    <message>
        <source>● Sie teilen Ihren Bildschirm ({screen})</source>
        <translation>● You are sharing your screen ({screen})</translation>
    </message>
    <message>
        <source>Die Konsole selbst und die Ausweisprüfung werden nicht mitgeteilt.</source>
        <translation>The console itself and the ID check are not shared.</translation>
    </message>
    <message>
        <source>Unter Linux wird alles auf diesem Bildschirm mitgeteilt, auch die Konsole mit dem Warteraum. Schieben Sie sie auf einen anderen Bildschirm.</source>
        <translation>On Linux everything on this screen is shared, including the console with the waiting room. Move it to another screen.</translation>
    </message>
    <message>
        <source>{name} wartet wieder im Wartezimmer.</source>
        <translation>{name} is waiting in the waiting room again.</translation>
    </message>
    <message>
        <source>Aus dem Gespräch entfernen?</source>
        <translation>Remove from the call?</translation>
    </message>
    <message>
        <source>Die Teilnahme von {name} ({role}) am Gespräch wird beendet. Das Gespräch mit den anderen geht weiter.</source>
        <translation>{name} ({role}) will leave the call. The call goes on with the others.</translation>
    </message>
    <message>
        <source>Entfernen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{name} wurde aus dem Gespräch entfernt.</source>
        <translation>{name} was removed from the call.</translation>
    </message>
    <message>
        <source>● Bildschirmfreigabe angehalten, solange die Ausweisprüfung offen ist</source>
        <translation>● Screen sharing paused while the ID check is open</translation>
    </message>
    <message>
        <source>Festgehalten: Identität geprüft.</source>
        <translation>Recorded: identity checked.</translation>
    </message>
    <message>
        <source>Festgehalten: Identität nicht geprüft.</source>
        <translation>Recorded: identity not checked.</translation>
    </message>
    <message>
        <source>Das Ergebnis der Ausweisprüfung wurde nicht gespeichert: {reason}</source>
        <translation>The result of the ID check was not saved: {reason}</translation>
    </message>
    <message>
        <source>Zurzeit kein Gespräch.</source>
        <translation>No call at the moment.</translation>
    </message>
    <message>
        <source>Termin {day}, {time} ({duration})</source>
        <translation>Appointment {day}, {time} ({duration})</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Chat</source>
        <extracomment>The http(s) addresses of a message (list of str).</extracomment>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Chatverlauf</source>
        <translation>Chat history</translation>
    </message>
    <message>
        <source>Pfeiltasten gehen von Nachricht zu Nachricht; Enter öffnet einen Link.</source>
        <translation>Arrow keys move from message to message; Enter opens a link.</translation>
    </message>
    <message>
        <source>Noch keine Nachrichten. Der Chat wird nicht gespeichert.</source>
        <translation>No messages yet. The chat is not stored.</translation>
    </message>
    <message>
        <source>Nachricht schreiben (Enter sendet)</source>
        <translation>Write a message (Enter sends)</translation>
    </message>
    <message>
        <source>Chatnachricht</source>
        <translation>Chat message</translation>
    </message>
    <message>
        <source>Senden</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>1 Link</source>
        <translation>1 link</translation>
    </message>
    <message>
        <source>{n} Links</source>
        <translation>{n} links</translation>
    </message>
    <message>
        <source>Enter oder Doppelklick öffnet: {links}</source>
        <translation>Enter or double-click opens: {links}</translation>
    </message>
    <message>
        <source>Chatnachricht von {who}: {text}</source>
        <translation>Chat message from {who}: {text}</translation>
    </message>
    <message>
        <source>Links der Nachricht</source>
        <translation>Links of the message</translation>
    </message>
</context>
<context>
    <name>ColleagueDialog</name>
    <message>
        <source>&amp;Kollegin oder Kollege</source>
        <extracomment>Where :meth:`refresh_colleagues` reads the colleagues anew (None: never).</extracomment>
        <translation>&amp;Colleague</translation>
    </message>
    <message>
        <source>Kollegin oder Kollege</source>
        <translation>Colleague</translation>
    </message>
    <message>
        <source>{name} – {state}</source>
        <translation>{name} – {state}</translation>
    </message>
    <message>
        <source>Sie gehören zu keinem Team mit Kolleginnen oder Kollegen. Die Teamleitung oder die IT kann Sie einem Team zuordnen.</source>
        <translation>You are not in a team with colleagues. Your team lead or IT can add you to a team.</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <source>Beratungskonsole</source>
        <translation>Advisor console</translation>
    </message>
    <message>
        <source>Lokaler Termindienst wird gestartet…</source>
        <translation>Starting the local appointment service…</translation>
    </message>
    <message>
        <source>Der lokale Termindienst antwortet nicht. Details stehen in {log}.</source>
        <translation>The local appointment service does not answer. Details are in {log}.</translation>
    </message>
    <message>
        <source>Lokaler Dienst</source>
        <translation>Local service</translation>
    </message>
    <message>
        <source>Verbindung zu {url} wird geprüft…</source>
        <translation>Checking the connection to {url}…</translation>
    </message>
    <message>
        <source>Verbindung zu {url} wird hergestellt…</source>
        <translation>Connecting to {url}…</translation>
    </message>
    <message>
        <source>Start nicht möglich</source>
        <translation>Cannot start</translation>
    </message>
    <message>
        <source>Der lokale Termindienst konnte nicht gestartet werden. Details stehen in {log}.</source>
        <translation>The local appointment service could not be started. Details are in {log}.</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <source>Einzelheiten</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Geräte</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Wählen Sie Kamera, Mikrofon und Lautsprecher für Ihre Videotermine und prüfen Sie sie hier. Die Auswahl gilt für alle folgenden Gespräche.</source>
        <translation>Choose the camera, microphone and speaker for your video appointments and check them here. The choice applies to all following calls.</translation>
    </message>
    <message>
        <source>Kamera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Kein Bild</source>
        <translation>No picture</translation>
    </message>
    <message>
        <source>Vorschau Ihrer Kamera</source>
        <translation>Preview of your camera</translation>
    </message>
    <message>
        <source>Mikrofon</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <source>Pegel</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Pegel des Mikrofons</source>
        <translation>Microphone level</translation>
    </message>
    <message>
        <source>Sprechen Sie: Der Balken sollte sich bewegen.</source>
        <translation>Speak: the bar should move.</translation>
    </message>
    <message>
        <source>Lautsprecher</source>
        <translation>Speaker</translation>
    </message>
    <message>
        <source>Testton abspielen</source>
        <translation>Play test tone</translation>
    </message>
    <message>
        <source>Echounterdrückung, Rauschunterdrückung und Pegelanpassung</source>
        <translation>Echo cancellation, noise suppression and gain control</translation>
    </message>
    <message>
        <source>Empfohlen. Schalten Sie dies nur aus, wenn Ihr Headset oder Ihre Konferenzanlage das selbst übernimmt.</source>
        <translation>Recommended. Switch this off only if your headset or conference system does it itself.</translation>
    </message>
    <message>
        <source>Systemstandard</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Keine Kamera gefunden</source>
        <translation>No camera found</translation>
    </message>
    <message>
        <source>Kamera wird geöffnet …</source>
        <translation>Opening the camera …</translation>
    </message>
    <message>
        <source>Bild: {width} × {height} Pixel, {fps} Bilder pro Sekunde</source>
        <translation>Picture: {width} × {height} pixels, {fps} frames per second</translation>
    </message>
    <message>
        <source>Sie sollten jetzt einen kurzen Ton hören.</source>
        <translation>You should hear a short tone now.</translation>
    </message>
</context>
<context>
    <name>GuestEditor</name>
    <message>
        <source>Person hinzufügen</source>
        <translation>Add person</translation>
    </message>
    <message>
        <source>Zum Beispiel eine Dolmetscherin oder eine gesetzliche Vertretung</source>
        <translation>For example an interpreter or a legal representative</translation>
    </message>
    <message>
        <source>Höchstens {n} weitere Personen.</source>
        <translation>At most {n} further participants.</translation>
    </message>
</context>
<context>
    <name>GuestHeader</name>
    <message>
        <source>Name</source>
        <extracomment>Fixed widths of the role, language and button columns; name and e-mail share the rest.</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <source>Rolle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Sprache</source>
        <translation>Language</translation>
    </message>
</context>
<context>
    <name>GuestRow</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Name der weiteren Person</source>
        <translation>Name of the further participant</translation>
    </message>
    <message>
        <source>Rolle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>E-Mail (optional)</source>
        <translation>E-mail (optional)</translation>
    </message>
    <message>
        <source>E-Mail der weiteren Person</source>
        <translation>E-mail of the further participant</translation>
    </message>
    <message>
        <source>Sprache der Einladung</source>
        <translation>Invitation language</translation>
    </message>
    <message>
        <source>Entfernen</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <source>Übergeben</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <source>{name} an eine Kollegin oder einen Kollegen übergeben?</source>
        <translation>Hand {name} over to a colleague?</translation>
    </message>
    <message>
        <source>Die Person behält ihren Platz im Wartezimmer und liest: „Sie werden von einer Kollegin oder einem Kollegen beraten.“ Der Termin gehört danach der gewählten Kollegin oder dem gewählten Kollegen.</source>
        <translation>The person keeps their place in the waiting room and reads: “A colleague will advise you.” The appointment then belongs to the chosen colleague.</translation>
    </message>
    <message>
        <source>&amp;Notiz für die Kollegin oder den Kollegen</source>
        <translation>&amp;Note for the colleague</translation>
    </message>
    <message>
        <source>Notiz für die Kollegin oder den Kollegen</source>
        <translation>Note for the colleague</translation>
    </message>
    <message>
        <source>Zum Beispiel: Unterlagen liegen vor, es geht um die Weiterbewilligung.</source>
        <translation>For example: documents are at hand, it is about the renewal of benefits.</translation>
    </message>
    <message>
        <source>Die Person sieht diese Notiz nicht.</source>
        <translation>The person does not see this note.</translation>
    </message>
</context>
<context>
    <name>IdCheckDialog</name>
    <message>
        <source>Ausweis prüfen</source>
        <extracomment>&quot;front&quot;, &quot;back&quot; or &quot;done&quot;: what the citizen&apos;s page should ask for now. Emitted after every analysed frame (tests and the status line use it).</extracomment>
        <translation>Check ID document</translation>
    </message>
    <message>
        <source>Videobild der Person</source>
        <translation>The person&apos;s video</translation>
    </message>
    <message>
        <source>Warte auf das Videobild …</source>
        <translation>Waiting for the video …</translation>
    </message>
    <message>
        <source>Automatische Aufnahme</source>
        <translation>Automatic capture</translation>
    </message>
    <message>
        <source>Kopien, Fotos und Bildschirme erkennt die Prüfung nicht immer: bitten Sie darum, den Ausweis langsam zu kippen. Bei einem echten Ausweis ändern sich Hologramm und Spiegelungen.</source>
        <translation>The check does not always recognise copies, photos and screens: ask the person to tilt the ID card slowly. On a genuine card the hologram and the reflections change.</translation>
    </message>
    <message>
        <source>Jetzt aufnehmen</source>
        <translation>Capture now</translation>
    </message>
    <message>
        <source>Nimmt das aktuelle Bild auf, auch wenn noch nicht alles passt.</source>
        <translation>Captures the current picture, even if not everything fits yet.</translation>
    </message>
    <message>
        <source>Vorderseite neu aufnehmen</source>
        <translation>Capture the front again</translation>
    </message>
    <message>
        <source>Gesichter vergleichen</source>
        <translation>Compare faces</translation>
    </message>
    <message>
        <source>Foto im Dokument</source>
        <translation>Photo on the document</translation>
    </message>
    <message>
        <source>Gesicht im Video</source>
        <translation>Face in the video</translation>
    </message>
    <message>
        <source>Aufnahmen bleiben nur im Arbeitsspeicher und werden beim Schließen gelöscht. Gespeichert wird nur das Ergebnis mit Dokumentart, Ihnen und der Uhrzeit.</source>
        <translation>Captures stay in memory only and are erased when this window closes. Only the outcome is stored, with the document type, you and the time.</translation>
    </message>
    <message>
        <source>Aufnahme (entzerrt)</source>
        <translation>Capture (straightened)</translation>
    </message>
    <message>
        <source>Entzerrte Aufnahme des Dokuments</source>
        <translation>Straightened capture of the document</translation>
    </message>
    <message>
        <source>Angezeigte Seite</source>
        <translation>Side shown</translation>
    </message>
    <message>
        <source>Verkleinern</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>Vergrößern</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Einpassen</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>Maschinenlesbare Zone</source>
        <translation>Machine-readable zone</translation>
    </message>
    <message>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Personalausweis</source>
        <translation>Identity card</translation>
    </message>
    <message>
        <source>Reisepass</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>Anderes Dokument</source>
        <translation>Other document</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Schließt die Prüfung, ohne ein Ergebnis zu speichern (Esc).</source>
        <translation>Closes the check without recording a result (Esc).</translation>
    </message>
    <message>
        <source>Nicht geprüft</source>
        <translation>Not verified</translation>
    </message>
    <message>
        <source>Identität geprüft</source>
        <translation>Identity verified</translation>
    </message>
    <message>
        <source>Erst nach einer Aufnahme des Dokuments.</source>
        <translation>Only after a capture of the document.</translation>
    </message>
    <message>
        <source>noch keine Aufnahme</source>
        <translation>no capture yet</translation>
    </message>
    <message>
        <source>Schritt 1 von 2: Vorderseite</source>
        <translation>Step 1 of 2: front</translation>
    </message>
    <message>
        <source>Schritt 2 von 2: Rückseite</source>
        <translation>Step 2 of 2: back</translation>
    </message>
    <message>
        <source>Aufnahmen vollständig – bitte prüfen und entscheiden</source>
        <translation>Captures complete – please check and decide</translation>
    </message>
    <message>
        <source>Dieses System kann das Fenster nicht von Bildschirmaufnahmen ausnehmen. Bitte teilen Sie es nicht.</source>
        <translation>This system cannot keep the window out of screen captures. Please do not share it.</translation>
    </message>
    <message>
        <source>Aufnahmen vollständig.</source>
        <translation>Captures complete.</translation>
    </message>
    <message>
        <source>Bitte drehen Sie das Dokument um: jetzt die Rückseite.</source>
        <translation>Please turn the document over: now the back.</translation>
    </message>
    <message>
        <source>Bitte zeigen Sie zuerst die Vorderseite mit dem Foto.</source>
        <translation>Please show the front with the photo first.</translation>
    </message>
    <message>
        <source>Kein Ausweis erkannt – bitte ganz ins Bild halten.</source>
        <translation>No ID document found – please hold it fully into the picture.</translation>
    </message>
    <message>
        <source>Bitte näher an die Kamera halten.</source>
        <translation>Please hold it closer to the camera.</translation>
    </message>
    <message>
        <source>Unscharf – bitte ruhig halten.</source>
        <translation>Blurred – please hold still.</translation>
    </message>
    <message>
        <source>Spiegelung – bitte das Dokument leicht kippen.</source>
        <translation>Glare – please tilt the document slightly.</translation>
    </message>
    <message>
        <source>Zu dunkel – bitte für mehr Licht sorgen.</source>
        <translation>Too dark – please add some light.</translation>
    </message>
    <message>
        <source>Abgeschnitten – bitte das ganze Dokument ins Bild halten.</source>
        <translation>Cut off – please hold the whole document into the picture.</translation>
    </message>
    <message>
        <source>Das sieht nicht wie ein Ausweis oder Reisepass aus.</source>
        <translation>This does not look like an identity card or passport.</translation>
    </message>
    <message>
        <source>Foto, Kopie oder Bildschirm erkannt – bitte den Ausweis selbst zeigen.</source>
        <translation>Photo, copy or screen detected – please show the ID document itself.</translation>
    </message>
    <message>
        <source>Bitte den Ausweis in die Hand nehmen und vor die Kamera halten – nicht hinlegen, nicht auf einem Bildschirm zeigen.</source>
        <translation>Please take the ID in your hand and hold it up to the camera – do not lay it down or show it on a screen.</translation>
    </message>
    <message>
        <source>Gut – bitte so halten.</source>
        <translation>Good – please hold it like this.</translation>
    </message>
    <message>
        <source>Noch kein Dokument im Bild – eine Aufnahme ist so nicht möglich.</source>
        <translation>No document in the picture yet – cannot capture.</translation>
    </message>
    <message>
        <source>Rückseite neu aufnehmen</source>
        <translation>Capture the back again</translation>
    </message>
    <message>
        <source>Texterkennung liest die Zone …</source>
        <translation>Text recognition is reading the zone …</translation>
    </message>
    <message>
        <source>Von der Texterkennung gelesen – bitte vergleichen.</source>
        <translation>Read by text recognition – please compare.</translation>
    </message>
    <message>
        <source>Keine Texterkennung installiert: bitte die Zeilen aus der Aufnahme abtippen.</source>
        <translation>No text recognition installed: please type the lines from the capture.</translation>
    </message>
    <message>
        <source>„?“ war nicht lesbar: bitte aus der Aufnahme ersetzen.</source>
        <translation>“?” could not be read: please replace it from the capture.</translation>
    </message>
    <message>
        <source>Die Texterkennung konnte die Zone nicht lesen: bitte abtippen.</source>
        <translation>Text recognition could not read the zone: please type it.</translation>
    </message>
    <message>
        <source>Vorderseite</source>
        <translation>Front</translation>
    </message>
    <message>
        <source>Rückseite</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Dokumentnummer</source>
        <translation>Document number</translation>
    </message>
    <message>
        <source>Geburtsdatum</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Ablaufdatum</source>
        <translation>Date of expiry</translation>
    </message>
    <message>
        <source>Optionale Daten (persönliche Nummer)</source>
        <translation>Optional data (personal number)</translation>
    </message>
    <message>
        <source>Gesamtprüfziffer</source>
        <translation>Composite check digit</translation>
    </message>
    <message>
        <source>unzulässige Zeichen</source>
        <translation>characters not allowed</translation>
    </message>
    <message>
        <source>Bitte alle Zeilen vollständig eingeben.</source>
        <translation>Please enter all lines completely.</translation>
    </message>
    <message>
        <source>Die Zeilen passen zu keinem Format.</source>
        <translation>The lines fit no format.</translation>
    </message>
    <message>
        <source>Alle Prüfziffern sind gültig.</source>
        <translation>All check digits are valid.</translation>
    </message>
    <message>
        <source>Prüfziffer falsch: {fields}</source>
        <translation>Wrong check digit: {fields}</translation>
    </message>
    <message>
        <source>Ablaufdatum nicht lesbar.</source>
        <translation>Date of expiry not readable.</translation>
    </message>
    <message>
        <source>Abgelaufen am {date}.</source>
        <translation>Expired on {date}.</translation>
    </message>
    <message>
        <source>Gültig bis {date}.</source>
        <translation>Valid until {date}.</translation>
    </message>
    <message>
        <source>Name stimmt mit dem Termin überein.</source>
        <translation>The name matches the appointment.</translation>
    </message>
    <message>
        <source>Name stimmt teilweise überein: {mrz} / Termin: {name}</source>
        <translation>The name matches in part: {mrz} / appointment: {name}</translation>
    </message>
    <message>
        <source>Name weicht ab: {mrz} / Termin: {name}</source>
        <translation>The name differs: {mrz} / appointment: {name}</translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>Strg</source>
        <extracomment>Dynamic property: how a widget that Tab does not reach is operated by keys.</extracomment>
        <translation>Ctrl</translation>
    </message>
    <message>
        <source>Umschalt</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Entf</source>
        <translation>Del</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Bürgerin/Bürger</source>
        <translation>Citizen</translation>
    </message>
    <message>
        <source>Dolmetschen</source>
        <translation>Interpreter</translation>
    </message>
    <message>
        <source>gesetzliche Vertretung</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <source>Beistand/Vertrauensperson</source>
        <translation>Supporting person</translation>
    </message>
    <message>
        <source>weitere Person</source>
        <translation>Other person</translation>
    </message>
    <message>
        <source>Deutsch</source>
        <extracomment>Roles a guest can have, in the order the dialog offers them.</extracomment>
        <translation>Deutsch</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>keine E-Mail</source>
        <translation>no e-mail</translation>
    </message>
    <message>
        <source>wird gesendet…</source>
        <translation>sending…</translation>
    </message>
    <message>
        <source>versendet</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>im Postausgang</source>
        <translation>in outbox</translation>
    </message>
    <message>
        <source>fehlgeschlagen</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Einladung</source>
        <translation>Invitation</translation>
    </message>
    <message>
        <source>Änderung</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Absage</source>
        <translation>Cancellation</translation>
    </message>
    <message>
        <source>abgesagt</source>
        <extracomment>Calm colours that stay readable for people with red-green weakness (text always follows).</extracomment>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>{time} Uhr</source>
        <translation>{time}</translation>
    </message>
    <message>
        <source>{start}–{end} Uhr</source>
        <translation>{start}–{end}</translation>
    </message>
    <message>
        <source>dddd, d. MMMM yyyy</source>
        <translation>dddd, d MMMM yyyy</translation>
    </message>
    <message>
        <source>{minutes} Min.</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>in Ordnung</source>
        <extracomment>The device check&apos;s traffic light; ``None`` is &quot;not checked&quot;. Text always goes with it.</extracomment>
        <translation>good</translation>
    </message>
    <message>
        <source>eingeschränkt</source>
        <translation>limited</translation>
    </message>
    <message>
        <source>Probleme</source>
        <translation>problems</translation>
    </message>
    <message>
        <source>nicht geprüft</source>
        <translation>not checked</translation>
    </message>
    <message>
        <source>Kamera, Mikrofon und Verbindung reichen für ein Videogespräch.</source>
        <translation>Camera, microphone and connection are good enough for a video call.</translation>
    </message>
    <message>
        <source>Ein Videogespräch ist möglich, Bild oder Ton können aber stocken.</source>
        <translation>A video call is possible, but video or sound may stutter.</translation>
    </message>
    <message>
        <source>Ein Videogespräch wird voraussichtlich nicht gelingen.</source>
        <translation>A video call will probably not work.</translation>
    </message>
    <message>
        <source>Die Person hat den Technikcheck nicht gemacht.</source>
        <translation>This person has not done the device check.</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>Computer</translation>
    </message>
    <message>
        <source>Tablet</source>
        <translation>Tablet</translation>
    </message>
    <message>
        <source>Smartphone</source>
        <translation>Smartphone</translation>
    </message>
    <message>
        <source>unbekannt</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>funktioniert</source>
        <translation>works</translation>
    </message>
    <message>
        <source>nicht gefunden</source>
        <translation>not found</translation>
    </message>
    <message>
        <source>nicht freigegeben</source>
        <translation>not allowed</translation>
    </message>
    <message>
        <source>Fehler</source>
        <translation>error</translation>
    </message>
    <message>
        <source>{rate} Mbit/s</source>
        <translation>{rate} Mbit/s</translation>
    </message>
    <message>
        <source>{rate} kbit/s</source>
        <translation>{rate} kbit/s</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <source>seit &lt; 1 Min.</source>
        <translation>for &lt; 1 min</translation>
    </message>
    <message>
        <source>seit {minutes} Min.</source>
        <translation>for {minutes} min</translation>
    </message>
    <message>
        <source>seit {hours} Std. {minutes} Min.</source>
        <translation>for {hours} h {minutes} min</translation>
    </message>
    <message>
        <source>wartet seit weniger als einer Minute</source>
        <translation>waiting for less than a minute</translation>
    </message>
    <message>
        <source>wartet seit 1 Minute</source>
        <translation>waiting for 1 minute</translation>
    </message>
    <message>
        <source>wartet seit {minutes} Minuten</source>
        <translation>waiting for {minutes} minutes</translation>
    </message>
    <message>
        <source>1 Stunde</source>
        <translation>1 hour</translation>
    </message>
    <message>
        <source>{hours} Stunden</source>
        <translation>{hours} hours</translation>
    </message>
    <message>
        <source>wartet seit {hours} und {minutes} Minuten</source>
        <translation>waiting for {hours} and {minutes} minutes</translation>
    </message>
    <message>
        <source>Browser</source>
        <translation>Browser</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Gerät</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Antwortzeit</source>
        <translation>Round trip</translation>
    </message>
    <message>
        <source>Kamera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Mikrofon</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <source>Lautsprecher</source>
        <translation>Speaker</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Beratungskonsole – Videotermine</source>
        <translation>Advisor console – video appointments</translation>
    </message>
    <message>
        <source>Beenden</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>&amp;Hilfe</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Tastenkürzel</source>
        <extracomment>The call&apos;s keys (as in common video-call programs); they work on every page during a call.</extracomment>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Neuer Termin</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <source>Termine</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <source>Wartezimmer</source>
        <translation>Waiting room</translation>
    </message>
    <message>
        <source>Gespräch</source>
        <translation>Call</translation>
    </message>
    <message>
        <source>Postausgang</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Geräte</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Statistik</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>Einstellungen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Seite „{page}“</source>
        <translation>Page “{page}”</translation>
    </message>
    <message>
        <source>Angemeldet: {name}</source>
        <translation>Signed in: {name}</translation>
    </message>
    <message>
        <source>Kamera ein- oder ausschalten</source>
        <translation>Turn the camera on or off</translation>
    </message>
    <message>
        <source>Mikrofon stumm oder an</source>
        <translation>Mute or unmute the microphone</translation>
    </message>
    <message>
        <source>Bildschirm teilen</source>
        <translation>Share screen</translation>
    </message>
    <message>
        <source>Gespräch beenden</source>
        <translation>End call</translation>
    </message>
    <message>
        <source>Im Gespräch: {action}</source>
        <translation>In a call: {action}</translation>
    </message>
    <message>
        <source>Tab / Umschalt+Tab</source>
        <translation>Tab / Shift+Tab</translation>
    </message>
    <message>
        <source>Zum nächsten / vorigen Bedienelement</source>
        <translation>To the next / previous control</translation>
    </message>
    <message>
        <source>Pfeiltasten</source>
        <translation>Arrow keys</translation>
    </message>
    <message>
        <source>In Listen und in der Seitenleiste bewegen</source>
        <translation>Move in lists and in the page list</translation>
    </message>
    <message>
        <source>Enter oder Leertaste</source>
        <translation>Enter or Space</translation>
    </message>
    <message>
        <source>Im Wartezimmer: gewählte Person einlassen; bei Terminen: öffnen</source>
        <translation>In the waiting room: admit the selected person; in appointments: open</translation>
    </message>
    <message>
        <source>Bild auf / Bild ab</source>
        <translation>Page Up / Page Down</translation>
    </message>
    <message>
        <source>Im Kalender: voriger / nächster Monat</source>
        <translation>In the calendar: previous / next month</translation>
    </message>
    <message>
        <source>Enter im Chatverlauf</source>
        <translation>Enter in the chat history</translation>
    </message>
    <message>
        <source>Den Link der Nachricht öffnen</source>
        <translation>Open the message’s link</translation>
    </message>
    <message>
        <source>Diese Hilfe</source>
        <translation>This help</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Dialog schließen</source>
        <translation>Close the dialog</translation>
    </message>
    <message>
        <source>Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.</source>
        <translation>Your sign-in has expired. Please sign in again.</translation>
    </message>
    <message>
        <source>Wartezimmer wieder verbunden.</source>
        <translation>Waiting room connected again.</translation>
    </message>
    <message>
        <source>Verbindung zum Wartezimmer unterbrochen, wird wiederhergestellt.</source>
        <translation>Connection to the waiting room lost, reconnecting.</translation>
    </message>
    <message>
        <source>{name} ist eingelassen. Das Gespräch beginnt.</source>
        <translation>{name} is admitted. The call begins.</translation>
    </message>
    <message>
        <source>Die Verbindung im Gespräch ist abgebrochen. Die Person wartet wieder.</source>
        <translation>The call’s connection broke off. The person is waiting again.</translation>
    </message>
    <message>
        <source>Das Gespräch ist beendet.</source>
        <translation>The call has ended.</translation>
    </message>
    <message>
        <source>Verbunden</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>Dienst nicht erreichbar</source>
        <translation>Service unreachable</translation>
    </message>
    <message>
        <source>Dienst nicht erreichbar.</source>
        <translation>Service not reachable.</translation>
    </message>
</context>
<context>
    <name>MediaProblems</name>
    <message>
        <source>Die Kamera kann nicht verwendet werden. Das Gespräch läuft ohne Ihr Bild weiter.</source>
        <translation>The camera cannot be used. The call continues without your video.</translation>
    </message>
    <message>
        <source>Der Bildschirm kann nicht geteilt werden. Das Gespräch läuft weiter.</source>
        <translation>The screen cannot be shared. The call continues.</translation>
    </message>
    <message>
        <source>Das Gerät kann nicht verwendet werden. Das Gespräch läuft weiter.</source>
        <translation>The device cannot be used. The call continues.</translation>
    </message>
    <message>
        <source>Keine Kamera gefunden. Bitte schließen Sie eine Kamera an oder wählen Sie unter „Geräte“ eine andere. Das Gespräch läuft ohne Ihr Bild weiter.</source>
        <translation>No camera found. Please connect a camera or choose another one under “Devices”. The call continues without your video.</translation>
    </message>
    <message>
        <source>Die Kamera liefert kein Bild. Vermutlich wird sie gerade von einem anderen Programm verwendet (z. B. Teams oder Zoom): Bitte schließen Sie das Programm und versuchen Sie es erneut. Das Gespräch läuft ohne Ihr Bild weiter.</source>
        <translation>The camera delivers no picture. It is probably in use by another program (e.g. Teams or Zoom): please close that program and try again. The call continues without your video.</translation>
    </message>
    <message>
        <source>Die Konsole darf die Kamera nicht verwenden (fehlende Berechtigung). Bitte wenden Sie sich an die IT. Das Gespräch läuft ohne Ihr Bild weiter.</source>
        <translation>The console is not allowed to use the camera (missing permission). Please contact IT. The call continues without your video.</translation>
    </message>
    <message>
        <source>Die Kamera liefert kein Bild mehr (getrennt?). Das Gespräch läuft ohne Ihr Bild weiter. Bitte schließen Sie die Kamera wieder an oder wählen Sie eine andere.</source>
        <translation>The camera stopped delivering pictures (unplugged?). The call continues without your video. Please reconnect the camera or choose another one.</translation>
    </message>
    <message>
        <source>Kein Mikrofon gefunden. Bitte schließen Sie ein Mikrofon oder Headset an. Das Gespräch läuft ohne Ihren Ton weiter.</source>
        <translation>No microphone found. Please connect a microphone or headset. The call continues without your sound.</translation>
    </message>
    <message>
        <source>Das Mikrofon lässt sich nicht öffnen. Vielleicht verwendet es ein anderes Programm. Das Gespräch läuft ohne Ihren Ton weiter.</source>
        <translation>The microphone cannot be opened. Another program may be using it. The call continues without your sound.</translation>
    </message>
    <message>
        <source>Das Mikrofon liefert keinen Ton mehr (getrennt?). Das Gespräch läuft ohne Ihren Ton weiter. Bitte schließen Sie es wieder an oder wählen Sie ein anderes.</source>
        <translation>The microphone stopped delivering sound (unplugged?). The call continues without your sound. Please reconnect it or choose another one.</translation>
    </message>
    <message>
        <source>Kein Lautsprecher gefunden. Bitte schließen Sie Lautsprecher oder ein Headset an. Bild und Chat laufen weiter.</source>
        <translation>No speaker found. Please connect speakers or a headset. Video and chat continue.</translation>
    </message>
    <message>
        <source>Der Lautsprecher lässt sich nicht öffnen. Bild und Chat laufen weiter.</source>
        <translation>The speaker cannot be opened. Video and chat continue.</translation>
    </message>
    <message>
        <source>Der Lautsprecher ist nicht mehr verfügbar (getrennt?). Bild und Chat laufen weiter. Bitte schließen Sie ihn wieder an oder wählen Sie einen anderen.</source>
        <translation>The speaker is no longer available (unplugged?). Video and chat continue. Please reconnect it or choose another one.</translation>
    </message>
    <message>
        <source>Die Audiobibliothek des Systems (PortAudio) fehlt. Ton ist nicht möglich; Bild und Chat laufen weiter. Bitte wenden Sie sich an die IT.</source>
        <translation>The system’s audio library (PortAudio) is missing. Sound is not possible; video and chat continue. Please contact IT.</translation>
    </message>
    <message>
        <source>Der Bildschirm kann nicht aufgenommen werden. Das Gespräch läuft ohne geteilten Bildschirm weiter.</source>
        <translation>The screen cannot be captured. The call continues without a shared screen.</translation>
    </message>
    <message>
        <source>Der gewählte Bildschirm ist nicht mehr angeschlossen. Bitte wählen Sie einen anderen.</source>
        <translation>The chosen screen is no longer connected. Please choose another one.</translation>
    </message>
    <message>
        <source>Der geteilte Bildschirm ist nicht mehr verfügbar (abgezogen oder abgeschaltet). Das Teilen wurde beendet; das Gespräch läuft weiter.</source>
        <translation>The shared screen is no longer available (unplugged or switched off). Sharing has stopped; the call continues.</translation>
    </message>
    <message>
        <source>Das Fenster kann nicht aufgenommen werden. Das Gespräch läuft ohne geteiltes Fenster weiter.</source>
        <translation>The window cannot be captured. The call continues without a shared window.</translation>
    </message>
    <message>
        <source>Das gewählte Fenster ist nicht mehr geöffnet. Bitte wählen Sie ein anderes.</source>
        <translation>The chosen window is no longer open. Please choose another one.</translation>
    </message>
    <message>
        <source>Das geteilte Fenster wurde geschlossen. Die Freigabe ist beendet; das Gespräch läuft weiter.</source>
        <translation>The shared window was closed. Sharing has stopped; the call continues.</translation>
    </message>
    <message>
        <source>Das geteilte Fenster wurde minimiert oder ausgeblendet. Die Freigabe ist beendet; das Gespräch läuft weiter.</source>
        <translation>The shared window was minimised or hidden. Sharing has stopped; the call continues.</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Meldung schließen</source>
        <translation>Close message</translation>
    </message>
</context>
<context>
    <name>MrzEntry</name>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Personalausweis (3 Zeilen × 30)</source>
        <translation>Identity card (3 lines × 30)</translation>
    </message>
    <message>
        <source>Reisepass (2 Zeilen × 44)</source>
        <translation>Passport (2 lines × 44)</translation>
    </message>
    <message>
        <source>Format der maschinenlesbaren Zone</source>
        <translation>Format of the machine-readable zone</translation>
    </message>
    <message>
        <source>Zeile {n}</source>
        <translation>Line {n}</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>neu</source>
        <extracomment>The number in the badge (int, 0: no badge). True while the badge asks for attention.</extracomment>
        <translation>new</translation>
    </message>
    <message>
        <source>Seiten</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Pfeiltasten wechseln die Seite; Strg+1 bis Strg+6 springen direkt.</source>
        <translation>Arrow keys change the page; Ctrl+1 to Ctrl+6 jump directly.</translation>
    </message>
    <message>
        <source>1 wartet</source>
        <translation>1 waiting</translation>
    </message>
    <message>
        <source>{n} warten</source>
        <translation>{n} waiting</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Nachricht senden</source>
        <translation>Send message</translation>
    </message>
    <message>
        <source>Nachricht an {name}</source>
        <translation>Message to {name}</translation>
    </message>
    <message>
        <source>Die Nachricht erscheint sofort im Wartezimmer der Person. Bitte schreiben Sie kurz und ohne persönliche Daten.</source>
        <translation>The message appears in the person&apos;s waiting room at once. Please keep it short and free of personal data.</translation>
    </message>
    <message>
        <source>Nachricht</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Ihre Nachricht</source>
        <translation>Your message</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Senden</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>{count} von {limit} Zeichen</source>
        <translation>{count} of {limit} characters</translation>
    </message>
</context>
<context>
    <name>OpenLogFileAction</name>
    <message>
        <source>&amp;Protokolldatei öffnen</source>
        <translation>Open &amp;log file</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>Postausgang</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Zeit</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Empfänger</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>Art</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Betreff</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Gesendete E-Mails</source>
        <translation>Sent e-mails</translation>
    </message>
    <message>
        <source>Erneut senden</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Wählen Sie oben eine E-Mail aus.</source>
        <translation>Select an e-mail above.</translation>
    </message>
    <message>
        <source>Text der E-Mail</source>
        <translation>Text of the e-mail</translation>
    </message>
    <message>
        <source>Der Postausgang konnte nicht geladen werden. {reason}</source>
        <translation>The outbox could not be loaded. {reason}</translation>
    </message>
    <message>
        <source>Die E-Mail wird erneut gesendet.</source>
        <translation>The e-mail is being sent again.</translation>
    </message>
</context>
<context>
    <name>Refusals</name>
    <message>
        <source>Beginn</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Dauer</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Thema</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kundennummer</source>
        <translation>Customer number</translation>
    </message>
    <message>
        <source>E-Mail-Adresse</source>
        <translation>E-mail address</translation>
    </message>
    <message>
        <source>Sprache</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Gäste</source>
        <translation>Guests</translation>
    </message>
    <message>
        <source>Rolle</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Benutzername</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Passwort</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Zeitraum</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Anzahl der Zeiträume</source>
        <translation>Number of periods</translation>
    </message>
    <message>
        <source>Der Termin liegt in der Vergangenheit. Bitte wählen Sie einen späteren Beginn.</source>
        <translation>The appointment lies in the past. Please choose a later start.</translation>
    </message>
    <message>
        <source>Bitte geben Sie den Namen der Bürgerin/des Bürgers ein.</source>
        <translation>Please enter the citizen&apos;s name.</translation>
    </message>
    <message>
        <source>Bitte geben Sie den Namen der weiteren Person ein.</source>
        <translation>Please enter the name of the further participant.</translation>
    </message>
    <message>
        <source>Bitte geben Sie einen Namen ein.</source>
        <translation>Please enter a name.</translation>
    </message>
    <message>
        <source>Der Name ist zu lang (höchstens {max_length} Zeichen).</source>
        <translation>The name is too long (at most {max_length} characters).</translation>
    </message>
    <message>
        <source>Der Name enthält unzulässige Steuerzeichen.</source>
        <translation>The name contains control characters that are not allowed.</translation>
    </message>
    <message>
        <source>Das Thema ist zu lang (höchstens {max_length} Zeichen).</source>
        <translation>The topic is too long (at most {max_length} characters).</translation>
    </message>
    <message>
        <source>Die Kundennummer ist zu lang (höchstens {max_length} Zeichen).</source>
        <translation>The customer number is too long (at most {max_length} characters).</translation>
    </message>
    <message>
        <source>Die Angabe ist zu lang (höchstens {max_length} Zeichen).</source>
        <translation>The entry is too long (at most {max_length} characters).</translation>
    </message>
    <message>
        <source>Das Thema enthält unzulässige Steuerzeichen.</source>
        <translation>The topic contains control characters that are not allowed.</translation>
    </message>
    <message>
        <source>Die Kundennummer enthält unzulässige Steuerzeichen.</source>
        <translation>The customer number contains control characters that are not allowed.</translation>
    </message>
    <message>
        <source>Die Angabe enthält unzulässige Steuerzeichen.</source>
        <translation>The entry contains control characters that are not allowed.</translation>
    </message>
    <message>
        <source>Die E-Mail-Adresse ist ungültig. Bitte prüfen Sie die Schreibweise.</source>
        <translation>The e-mail address is not valid. Please check the spelling.</translation>
    </message>
    <message>
        <source>Gäste können nicht die Rolle „Bürgerin/Bürger“ haben.</source>
        <translation>Guests cannot have the role “citizen”.</translation>
    </message>
    <message>
        <source>Der Termin überschneidet sich mit {count} anderen Termin(en) (ab {first} Uhr).</source>
        <translation>The appointment overlaps with {count} other appointment(s) (from {first}).</translation>
    </message>
    <message>
        <source>Diese Angabe fehlt.</source>
        <translation>This entry is missing.</translation>
    </message>
    <message>
        <source>Der Text ist zu lang.</source>
        <translation>The text is too long.</translation>
    </message>
    <message>
        <source>Der Wert muss mindestens {ge} sein.</source>
        <translation>The value must be at least {ge}.</translation>
    </message>
    <message>
        <source>Der Wert darf höchstens {le} sein.</source>
        <translation>The value must be at most {le}.</translation>
    </message>
    <message>
        <source>Es sind zu viele Einträge (höchstens {max_length}).</source>
        <translation>Too many entries (at most {max_length}).</translation>
    </message>
    <message>
        <source>Die Zeitangabe braucht eine Zeitzone.</source>
        <translation>The time needs a time zone.</translation>
    </message>
    <message>
        <source>Das ist keine gültige Zeitangabe.</source>
        <translation>This is not a valid time.</translation>
    </message>
    <message>
        <source>Dieser Wert ist nicht erlaubt.</source>
        <translation>This value is not allowed.</translation>
    </message>
    <message>
        <source>Diese Angabe ist unbekannt.</source>
        <translation>This entry is unknown.</translation>
    </message>
    <message>
        <source>Hier wird eine Zahl erwartet.</source>
        <translation>A number is expected here.</translation>
    </message>
    <message>
        <source>Hier wird ein Text erwartet.</source>
        <translation>A text is expected here.</translation>
    </message>
    <message>
        <source>Hier wird ja oder nein erwartet.</source>
        <translation>Yes or no is expected here.</translation>
    </message>
    <message>
        <source>Hier wird eine Liste erwartet.</source>
        <translation>A list is expected here.</translation>
    </message>
    <message>
        <source>Hier wird ein Objekt erwartet.</source>
        <translation>An object is expected here.</translation>
    </message>
    <message>
        <source>Ungültige Angabe.</source>
        <translation>Invalid entry.</translation>
    </message>
    <message>
        <source>{label}: {text}</source>
        <translation>{label}: {text}</translation>
    </message>
    <message>
        <source>Sie sind nicht (mehr) angemeldet. Bitte melden Sie sich erneut an.</source>
        <translation>You are not signed in (any more). Please sign in again.</translation>
    </message>
    <message>
        <source>Benutzername oder Passwort ist falsch, oder das Konto ist gesperrt.</source>
        <translation>The user name or password is wrong, or the account is locked.</translation>
    </message>
    <message>
        <source>Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten.</source>
        <translation>Too many sign-in attempts. Please wait a few minutes.</translation>
    </message>
    <message>
        <source>Zu viele Verbindungsversuche. Bitte warten Sie eine Minute.</source>
        <translation>Too many connection attempts. Please wait a minute.</translation>
    </message>
    <message>
        <source>Zu viele Verbindungsnachrichten. Bitte warten Sie einen Moment.</source>
        <translation>Too many connection messages. Please wait a moment.</translation>
    </message>
    <message>
        <source>Die Anfrage ist zu groß.</source>
        <translation>The request is too large.</translation>
    </message>
    <message>
        <source>Die Anfrage ist kein gültiges JSON.</source>
        <translation>The request is not valid JSON.</translation>
    </message>
    <message>
        <source>Die Anfrage ist zu tief verschachtelt.</source>
        <translation>The request is nested too deeply.</translation>
    </message>
    <message>
        <source>Diese Adresse gibt es im Dienst nicht. Ist die Konsole auf dem neuesten Stand?</source>
        <translation>The service has no such address. Is the console up to date?</translation>
    </message>
    <message>
        <source>Diese Aktion ist an dieser Adresse nicht möglich.</source>
        <translation>This action is not possible at this address.</translation>
    </message>
    <message>
        <source>Der Dienst hat die Anfrage abgelehnt (HTTP {status}).</source>
        <translation>The service refused the request (HTTP {status}).</translation>
    </message>
    <message>
        <source>Der Dienst kann gerade nicht auf seinen gemeinsamen Speicher (Redis) zugreifen. Es wurde nichts verändert; bitte versuchen Sie es in einer Minute erneut.</source>
        <translation>The service cannot reach its shared store (Redis) right now. Nothing was changed; please try again in a minute.</translation>
    </message>
    <message>
        <source>Die Datenbank des Dienstes ist gerade nicht beschreibbar. Es wurde nichts verändert; bitte versuchen Sie es in einer Minute erneut oder wenden Sie sich an die IT.</source>
        <translation>The service&apos;s database cannot be written to right now. Nothing was changed; please try again in a minute or contact IT.</translation>
    </message>
    <message>
        <source>Im Dienst ist ein unerwarteter Fehler aufgetreten. Es wurde nichts verändert.</source>
        <translation>An unexpected error occurred in the service. Nothing was changed.</translation>
    </message>
    <message>
        <source>Diesen Termin gibt es nicht (mehr).</source>
        <translation>This appointment does not exist (any more).</translation>
    </message>
    <message>
        <source>Zu diesem Gespräch gibt es keinen Termin (mehr).</source>
        <translation>There is no appointment (any more) for this call.</translation>
    </message>
    <message>
        <source>{what}: bitte ein Datum im Format JJJJ-MM-TT angeben.</source>
        <translation>{what}: please give a date as YYYY-MM-DD.</translation>
    </message>
    <message>
        <source>Der Zeitraum muss zwischen 1 und {max_days} Tagen liegen.</source>
        <translation>The period must be between 1 and {max_days} days.</translation>
    </message>
    <message>
        <source>Ungültige Teilnehmer-Nummer.</source>
        <translation>Invalid participant number.</translation>
    </message>
    <message>
        <source>Ein abgesagter Termin kann nicht mehr geändert werden.</source>
        <translation>A cancelled appointment cannot be changed any more.</translation>
    </message>
    <message>
        <source>Für einen abgesagten Termin kann keine Ausweisprüfung erfasst werden.</source>
        <translation>No ID check can be recorded for a cancelled appointment.</translation>
    </message>
    <message>
        <source>Für diesen Termin ist keine E-Mail-Adresse hinterlegt.</source>
        <translation>This appointment has no e-mail address.</translation>
    </message>
    <message>
        <source>Dieser Dienst antwortet nur unter seiner eigenen Adresse.</source>
        <translation>This service answers only at its own address.</translation>
    </message>
    <message>
        <source>Diese Anfrage kam von einer anderen Webseite und wurde nicht ausgeführt.</source>
        <translation>This request came from another web site and was not carried out.</translation>
    </message>
    <message>
        <source>Die Nachricht wurde nicht verstanden und nicht ausgeführt.</source>
        <translation>The message was not understood and was not carried out.</translation>
    </message>
    <message>
        <source>Diese Person ist nicht (mehr) im Wartezimmer.</source>
        <translation>This person is not in the waiting room (any more).</translation>
    </message>
    <message>
        <source>Diese Person ist gerade nicht verbunden.</source>
        <translation>This person is not connected right now.</translation>
    </message>
    <message>
        <source>Diese Person ist nicht (mehr) im Gespräch.</source>
        <translation>This person is not in the call (any more).</translation>
    </message>
    <message>
        <source>Diese Person wurde schon eingelassen – an einem anderen Arbeitsplatz oder von einer Kollegin oder einem Kollegen.</source>
        <translation>This person has already been admitted – at another workstation or by a colleague.</translation>
    </message>
    <message>
        <source>Die Kollegin oder der Kollege ist da und lässt die Person selbst ein.</source>
        <translation>The colleague is present and admits the person themselves.</translation>
    </message>
    <message>
        <source>Das geht nur mit Kolleginnen und Kollegen Ihrer Teams.</source>
        <translation>This is only possible with colleagues of your teams.</translation>
    </message>
    <message>
        <source>Im Gespräch sind schon {max} Personen (mit Ihnen). Mehr Personen sind in einem Gespräch nicht möglich.</source>
        <translation>The call already has {max} participants (you included). A call cannot have more.</translation>
    </message>
    <message>
        <source>Keine Verbindung zum Dienst. Die Aktion wurde nicht ausgeführt.</source>
        <translation>No connection to the service. The action was not carried out.</translation>
    </message>
    <message>
        <source>Der Dienst unter {url} ist nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung; die Konsole versucht es weiter.</source>
        <translation>The service at {url} cannot be reached. Please check the network connection; the console keeps trying.</translation>
    </message>
    <message>
        <source>Die sichere Verbindung zu {url} ist fehlgeschlagen: Das Zertifikat des Servers wird nicht anerkannt. Bitte wenden Sie sich an die IT.</source>
        <translation>The secure connection to {url} failed: the server&apos;s certificate is not trusted. Please contact IT.</translation>
    </message>
    <message>
        <source>Der Dienst hat unerwartet geantwortet. Passen Konsole und Dienst in der Version zusammen?</source>
        <translation>The service gave an unexpected answer. Do the versions of console and service match?</translation>
    </message>
</context>
<context>
    <name>RemoteTile</name>
    <message>
        <source>Geteilter Bildschirm der Person</source>
        <translation>Screen shared by the person</translation>
    </message>
    <message>
        <source>Kamerabild der Person</source>
        <translation>The person&apos;s camera picture</translation>
    </message>
    <message>
        <source>Mikrofon stumm</source>
        <translation>Microphone muted</translation>
    </message>
    <message>
        <source>Das Mikrofon der Person ist stumm.</source>
        <translation>The person&apos;s microphone is muted.</translation>
    </message>
    <message>
        <source>Zurück ins Wartezimmer</source>
        <translation>Back to the waiting room</translation>
    </message>
    <message>
        <source>Die Person wartet wieder im Wartezimmer; Sie können sie erneut einlassen.</source>
        <translation>The person waits in the waiting room again; you can admit them again.</translation>
    </message>
    <message>
        <source>Entfernen</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Die Teilnahme dieser Person am Gespräch beenden</source>
        <translation>End this person&apos;s participation in the call</translation>
    </message>
    <message>
        <source>Warten auf die Verbindung …</source>
        <translation>Waiting for the connection …</translation>
    </message>
    <message>
        <source>Verbindung wird aufgebaut …</source>
        <translation>Connecting …</translation>
    </message>
    <message>
        <source>Verbindung unterbrochen</source>
        <translation>Connection interrupted</translation>
    </message>
    <message>
        <source>Gespräch beendet</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <source>Kamera aus</source>
        <translation>Camera off</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <source>Termine</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <source>Neuer Termin</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <source>Heute</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Fett gedruckte Tage haben Termine.</source>
        <translation>Days in bold have appointments.</translation>
    </message>
    <message>
        <source>Tag übergeben …</source>
        <translation>Hand over day …</translation>
    </message>
    <message>
        <source>Alle offenen Termine dieses Tages einer Kollegin oder einem Kollegen geben</source>
        <translation>Give all open appointments of this day to a colleague</translation>
    </message>
    <message>
        <source>Keine Termine</source>
        <translation>No appointments</translation>
    </message>
    <message>
        <source>1 Termin</source>
        <translation>1 appointment</translation>
    </message>
    <message>
        <source>{n} Termine</source>
        <translation>{n} appointments</translation>
    </message>
    <message>
        <source>{n} abgesagt</source>
        <translation>{n} cancelled</translation>
    </message>
    <message>
        <source>Die Termine konnten nicht geladen werden. {reason}</source>
        <translation>The appointments could not be loaded. {reason}</translation>
    </message>
    <message>
        <source>Der Termin mit {name} ist angelegt.</source>
        <translation>The appointment with {name} has been created.</translation>
    </message>
    <message>
        <source>Die Einladung wird versendet.</source>
        <translation>The invitation is being sent.</translation>
    </message>
    <message>
        <source>Die Änderungen sind gespeichert.</source>
        <translation>The changes have been saved.</translation>
    </message>
    <message>
        <source>Die Absage wird erneut gesendet.</source>
        <translation>The cancellation is being sent again.</translation>
    </message>
    <message>
        <source>Die Einladung wird erneut gesendet.</source>
        <translation>The invitation is being sent again.</translation>
    </message>
    <message>
        <source>Termin absagen</source>
        <translation>Cancel appointment</translation>
    </message>
    <message>
        <source>Den Termin mit {name} am {day} um {time} Uhr absagen?</source>
        <translation>Cancel the appointment with {name} on {day} at {time}?</translation>
    </message>
    <message>
        <source>dd.MM.yyyy</source>
        <translation>dd/MM/yyyy</translation>
    </message>
    <message>
        <source>Alle Teilnehmenden mit E-Mail-Adresse erhalten eine Absage. Link und Einwahlcode gelten danach nicht mehr.</source>
        <translation>All participants with an e-mail address receive a cancellation. Link and dial-in code will no longer be valid.</translation>
    </message>
    <message>
        <source>Es ist keine E-Mail-Adresse hinterlegt. Bitte informieren Sie die Teilnehmenden selbst. Link und Einwahlcode gelten danach nicht mehr.</source>
        <translation>No e-mail address is on file. Please inform the participants yourself. Link and dial-in code will no longer be valid.</translation>
    </message>
    <message>
        <source>Nicht absagen</source>
        <translation>Keep appointment</translation>
    </message>
    <message>
        <source>Der Termin mit {name} ist abgesagt.</source>
        <translation>The appointment with {name} has been cancelled.</translation>
    </message>
    <message>
        <source>Die Absage wird versendet.</source>
        <translation>The cancellation is being sent.</translation>
    </message>
    <message>
        <source>Der persönliche Link von {name} ist in der Zwischenablage.</source>
        <translation>{name}&apos;s personal link is on the clipboard.</translation>
    </message>
    <message>
        <source>Der Browser konnte nicht geöffnet werden. Der Link lautet: {link}</source>
        <translation>The browser could not be opened. The link is: {link}</translation>
    </message>
    <message>
        <source>Die Bürgerin oder der Bürger erhält eine aktualisierte Einladung per E-Mail, die den neuen Ansprechpartner nennt. Link und Einwahlcode bleiben gleich. Der Termin erscheint sofort bei der gewählten Kollegin oder dem gewählten Kollegen.</source>
        <translation>The citizen receives an updated invitation by e-mail naming the new contact. Link and dial-in code stay the same. The appointment appears at once for the chosen colleague.</translation>
    </message>
    <message>
        <source>Es ist keine E-Mail-Adresse hinterlegt; bitte informieren Sie die Person selbst. Link und Einwahlcode bleiben gleich. Der Termin erscheint sofort bei der gewählten Kollegin oder dem gewählten Kollegen.</source>
        <translation>No e-mail address is on record; please inform the person yourself. Link and dial-in code stay the same. The appointment appears at once for the chosen colleague.</translation>
    </message>
    <message>
        <source>Vertretung</source>
        <translation>Substitute</translation>
    </message>
    <message>
        <source>Den Termin mit {name} am {day} um {time} Uhr an wen geben?</source>
        <translation>Who should take the appointment with {name} on {day} at {time}?</translation>
    </message>
    <message>
        <source>Vertretung übergeben</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <source>Der Termin mit {name} gehört jetzt {colleague}.</source>
        <translation>The appointment with {name} now belongs to {colleague}.</translation>
    </message>
    <message>
        <source>Die aktualisierte Einladung wird versendet.</source>
        <translation>The updated invitation is being sent.</translation>
    </message>
    <message>
        <source>An diesem Tag gibt es keine offenen Termine zu übergeben.</source>
        <translation>There are no open appointments to hand over on this day.</translation>
    </message>
    <message>
        <source>Tag übergeben</source>
        <translation>Hand over day</translation>
    </message>
    <message>
        <source>Den offenen Termin am {day} an wen geben?</source>
        <translation>Who should take the open appointment on {day}?</translation>
    </message>
    <message>
        <source>Die {n} offenen Termine am {day} an wen geben?</source>
        <translation>Who should take the {n} open appointments on {day}?</translation>
    </message>
    <message>
        <source>1 Termin gehört jetzt {colleague}.</source>
        <translation>1 appointment now belongs to {colleague}.</translation>
    </message>
    <message>
        <source>{n} Termine gehören jetzt {colleague}.</source>
        <translation>{n} appointments now belong to {colleague}.</translation>
    </message>
</context>
<context>
    <name>SendAwayDialog</name>
    <message>
        <source>Das Gespräch muss leider verschoben werden. Wir melden uns bei Ihnen.</source>
        <translation>Unfortunately the appointment has to be postponed. We will contact you.</translation>
    </message>
    <message>
        <source>Heute ist leider kein Gespräch möglich. Bitte vereinbaren Sie einen neuen Termin.</source>
        <translation>Unfortunately a conversation is not possible today. Please arrange a new appointment.</translation>
    </message>
    <message>
        <source>Ihre Technik reicht für ein Videogespräch leider nicht aus. Wir rufen Sie an.</source>
        <translation>Unfortunately your equipment is not sufficient for a video call. We will phone you.</translation>
    </message>
    <message>
        <source>Wegschicken</source>
        <translation>Send away</translation>
    </message>
    <message>
        <source>{name} aus dem Wartezimmer wegschicken?</source>
        <translation>Send {name} away from the waiting room?</translation>
    </message>
    <message>
        <source>Die Person verlässt das Wartezimmer und liest den Grund in ihrem Browser. Der Termin wird dadurch nicht abgesagt.</source>
        <translation>The person leaves the waiting room and reads the reason in their browser. This does not cancel the appointment.</translation>
    </message>
    <message>
        <source>Grund</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Eigener Grund:</source>
        <translation>Own reason:</translation>
    </message>
    <message>
        <source>Eigener Grund</source>
        <translation>Own reason</translation>
    </message>
    <message>
        <source>Was die Person lesen soll</source>
        <translation>What the person should read</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Einstellungen</source>
        <extracomment>The embedded service runs again with new values (the main window reconnects and shows the advisor&apos;s new name).</extracomment>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Speichern</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Diese Angaben gelten für den Termindienst auf diesem Rechner. Beim Speichern startet er kurz neu; Wartende verbinden sich von selbst wieder.</source>
        <translation>These details apply to the appointment service on this computer. Saving restarts it briefly; people waiting reconnect by themselves.</translation>
    </message>
    <message>
        <source>Diese Angaben gelten für alle Beraterinnen und Berater dieses Dienstes. Ändern kann sie nur die IT-Administration, in der Konfiguration des Dienstes (config.toml, Abschnitt [service]). Ihr Name kommt aus Ihrem Konto beim Dienst.</source>
        <translation>These details apply to all advisors of this service. Only the IT administration can change them, in the service&apos;s configuration (config.toml, section [service]). Your name comes from your account with the service.</translation>
    </message>
    <message>
        <source>Während eines Gesprächs können die Einstellungen nicht übernommen werden: der Termindienst startet dabei neu. Bitte speichern Sie danach.</source>
        <translation>Settings cannot be applied during a call: the appointment service restarts to take them. Please save after the call.</translation>
    </message>
    <message>
        <source>Der Termindienst übernimmt die Angaben …</source>
        <translation>The appointment service is taking the details …</translation>
    </message>
    <message>
        <source>Gespeichert. Der Termindienst nutzt die neuen Angaben.</source>
        <translation>Saved. The appointment service uses the new details.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Einrichtung</source>
        <translation>Setup</translation>
    </message>
    <message>
        <source>Willkommen! Zuerst ein paar Angaben</source>
        <translation>Welcome! First a few details</translation>
    </message>
    <message>
        <source>Bürgerinnen und Bürger sehen diese Angaben auf ihren Seiten und in den Einladungen. Sie können sie später unter „Einstellungen“ ändern.</source>
        <translation>Citizens see these details on their pages and in the invitations. You can change them later under “Settings”.</translation>
    </message>
    <message>
        <source>Später</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Die Konsole startet mit den bisherigen Angaben und fragt beim nächsten Mal.</source>
        <translation>The console starts with the current details and asks again next time.</translation>
    </message>
    <message>
        <source>Speichern und starten</source>
        <translation>Save and start</translation>
    </message>
</context>
<context>
    <name>SharePicker</name>
    <message>
        <source>Bildschirm teilen</source>
        <translation>Share screen</translation>
    </message>
    <message>
        <source>Was möchten Sie teilen?</source>
        <translation>What do you want to share?</translation>
    </message>
    <message>
        <source>Was geteilt wird</source>
        <translation>What is shared</translation>
    </message>
    <message>
        <source>Die Person sieht alles, was auf diesem Bildschirm zu sehen ist.</source>
        <translation>The person sees everything on this screen.</translation>
    </message>
    <message>
        <source>Das Fenster der Konsole (mit dem Warteraum) und die Ausweisprüfung werden nicht mitgeteilt.</source>
        <translation>The console window (with the waiting room) and the ID check are not shared.</translation>
    </message>
    <message>
        <source>Achtung: Unter Linux kann die Konsole nicht vom Teilen ausgenommen werden. Liegen der Warteraum oder die Ausweisprüfung auf dem geteilten Bildschirm, sieht die Person sie. Schieben Sie die Konsole auf einen anderen Bildschirm oder teilen Sie einen Bildschirm ohne die Konsole.</source>
        <translation>Caution: on Linux the console cannot be left out of the shared picture. If the waiting room or the ID check is on the shared screen, the person sees it. Move the console to another screen or share a screen without the console.</translation>
    </message>
    <message>
        <source>Ganzer Bildschirm</source>
        <translation>Entire screen</translation>
    </message>
    <message>
        <source>Fenster</source>
        <translation>Window</translation>
    </message>
    <message>
        <source>Einzelne Fenster teilen ist auf diesem System noch nicht möglich.</source>
        <translation>Sharing a single window is not yet possible on this system.</translation>
    </message>
    <message>
        <source>Teilen</source>
        <translation>Share</translation>
    </message>
    <message>
        <source>Neu einlesen</source>
        <translation>Look again</translation>
    </message>
    <message>
        <source>Abbrechen</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Die Person sieht nur das gewählte Fenster, auch wenn andere Fenster darüber liegen. Die Fenster der Konsole werden nicht angeboten.</source>
        <translation>The person sees only the chosen window, even when other windows lie on top of it. The console&apos;s own windows are not offered.</translation>
    </message>
    <message>
        <source>Es ist kein anderes Fenster geöffnet, das geteilt werden kann.</source>
        <translation>No other window is open that can be shared.</translation>
    </message>
    <message>
        <source>Es wurde kein Bildschirm gefunden.</source>
        <translation>No screen was found.</translation>
    </message>
    <message>
        <source>Bildschirm {n} · {w} × {h}</source>
        <translation>Screen {n} · {w} × {h}</translation>
    </message>
    <message>
        <source>Fenster: {title}</source>
        <translation>Window: {title}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Tastenkürzel</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Tasten</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>Wirkung</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Tastenkürzel der Konsole</source>
        <translation>The console’s keyboard shortcuts</translation>
    </message>
    <message>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Anmelden – Beratungskonsole</source>
        <translation>Sign in – advisor console</translation>
    </message>
    <message>
        <source>Anmelden</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Termindienst: {url}</source>
        <translation>Appointment service: {url}</translation>
    </message>
    <message>
        <source>Benutzername</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Passwort</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Anmeldung läuft…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Beenden</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Bitte geben Sie Benutzername und Passwort ein.</source>
        <translation>Please enter user name and password.</translation>
    </message>
</context>
<context>
    <name>SiteForm</name>
    <message>
        <source>z. B. Jobcenter Region Hannover</source>
        <translation>e.g. Jobcenter Region Hannover</translation>
    </message>
    <message>
        <source>&amp;Organisation</source>
        <translation>&amp;Organisation</translation>
    </message>
    <message>
        <source>Unterschreibt die Einladungen und steht in den Rechtstexten.</source>
        <translation>Signs the invitations and is named in the legal texts.</translation>
    </message>
    <message>
        <source>z. B. 0800 4 555501</source>
        <translation>e.g. 0800 4 555501</translation>
    </message>
    <message>
        <source>Support-&amp;Telefon</source>
        <translation>Support &amp;phone</translation>
    </message>
    <message>
        <source>Steht auf jeder Seite für Bürgerinnen und Bürger und in jeder Einladung. Leer: der Satz mit der Nummer entfällt.</source>
        <translation>Shown on every page for citizens and in every invitation. Empty: the sentence with the number is left out.</translation>
    </message>
    <message>
        <source>z. B. Montag bis Freitag, 8 bis 18 Uhr</source>
        <translation>e.g. Montag bis Freitag, 8 bis 18 Uhr</translation>
    </message>
    <message>
        <source>&amp;Erreichbarkeit</source>
        <translation>&amp;Hours</translation>
    </message>
    <message>
        <source>z. B. Frau Beispiel</source>
        <translation>e.g. Frau Beispiel</translation>
    </message>
    <message>
        <source>&amp;Ihr Name</source>
        <translation>&amp;Your name</translation>
    </message>
    <message>
        <source>So sehen Bürgerinnen, Bürger und Gäste Sie im Gespräch.</source>
        <translation>How citizens and guests see you in the call.</translation>
    </message>
    <message>
        <source> Tage</source>
        <translation> days</translation>
    </message>
    <message>
        <source>&amp;Aufbewahrung</source>
        <translation>&amp;Retention</translation>
    </message>
    <message>
        <source>Nach so vielen Tagen nach dem Termin werden Namen, Adressen und Notizen gelöscht.</source>
        <translation>Names, addresses and notes are deleted this many days after the appointment.</translation>
    </message>
    <message>
        <source>Mitgelieferte Vorlagen</source>
        <translation>Bundled templates</translation>
    </message>
    <message>
        <source>Eigener Ordner:</source>
        <translation>Own folder:</translation>
    </message>
    <message>
        <source>Ordner der Rechtstexte</source>
        <translation>Folder of the legal texts</translation>
    </message>
    <message>
        <source>Ordner mit manifest.json</source>
        <translation>Folder with manifest.json</translation>
    </message>
    <message>
        <source>Auswählen …</source>
        <translation>Choose …</translation>
    </message>
    <message>
        <source>Rechtstexte</source>
        <translation>Legal texts</translation>
    </message>
    <message>
        <source>Einwilligung, Datenschutz und Impressum. Die Vorlagen enthalten Lücken in [[…]], die Ihre Stelle ausfüllt; für den Betrieb einen eigenen Ordner wählen.</source>
        <translation>Consent, privacy notice and imprint. The templates have gaps in [[…]] for your office to fill in; for real use, choose your own folder.</translation>
    </message>
    <message>
        <source>Bitte geben Sie den Namen Ihrer Stelle ein.</source>
        <translation>Please enter the name of your office.</translation>
    </message>
    <message>
        <source>Bitte geben Sie Ihren Namen ein, wie Bürgerinnen und Bürger Sie ansprechen.</source>
        <translation>Please enter your name as citizens address you.</translation>
    </message>
    <message>
        <source>Bitte wählen Sie den Ordner der Rechtstexte.</source>
        <translation>Please choose the folder of the legal texts.</translation>
    </message>
    <message>
        <source>Bitte ausfüllen.</source>
        <translation>Please fill in.</translation>
    </message>
    <message>
        <source>Höchstens {n} Zeichen.</source>
        <translation>At most {n} characters.</translation>
    </message>
    <message>
        <source>Bitte ersetzen Sie den Platzhalter in [[…]] durch den echten Wert.</source>
        <translation>Please replace the placeholder in [[…]] with the real value.</translation>
    </message>
    <message>
        <source>Eine Telefonnummer besteht aus Ziffern, Leerzeichen und + - / ( ), z. B. 0800 4 555501.</source>
        <translation>A telephone number consists of digits, spaces and + - / ( ), e.g. 0800 4 555501.</translation>
    </message>
    <message>
        <source>Eine Telefonnummer hat {low} bis {high} Ziffern, z. B. 0800 4 555501.</source>
        <translation>A telephone number has {low} to {high} digits, e.g. 0800 4 555501.</translation>
    </message>
    <message>
        <source>Zwischen {low} und {high} Tagen.</source>
        <translation>Between {low} and {high} days.</translation>
    </message>
    <message>
        <source>Diesen Ordner gibt es nicht.</source>
        <translation>This folder does not exist.</translation>
    </message>
    <message>
        <source>In diesem Ordner fehlt manifest.json (die Liste der Rechtstexte mit Versionen).</source>
        <translation>This folder has no manifest.json (the list of legal texts with their versions).</translation>
    </message>
    <message>
        <source>Ordner der Rechtstexte wählen</source>
        <translation>Choose the folder of the legal texts</translation>
    </message>
</context>
<context>
    <name>StartProblem</name>
    <message>
        <source>Die eingestellte Serveradresse ist ungültig.</source>
        <translation>The configured server address is not valid.</translation>
    </message>
    <message>
        <source>Die eingestellte Zertifikatsdatei der Dienststelle ist nicht verwendbar.</source>
        <translation>The configured certificate file of your agency cannot be used.</translation>
    </message>
    <message>
        <source>Das Zertifikat des Servers wird nicht anerkannt. Zu Ihrer Sicherheit wurde keine Verbindung aufgebaut.</source>
        <translation>The server&apos;s certificate is not trusted. For your safety, no connection was made.</translation>
    </message>
    <message>
        <source>Der Termindienst ist nicht erreichbar.</source>
        <translation>The appointment service cannot be reached.</translation>
    </message>
    <message>
        <source>Unter der eingestellten Serveradresse antwortet kein Termindienst.</source>
        <translation>No appointment service answers at the configured server address.</translation>
    </message>
    <message>
        <source>Beratungskonsole – Einstellungen fehlerhaft</source>
        <translation>Advisor console – settings are faulty</translation>
    </message>
    <message>
        <source>Die Beratungskonsole kann wegen fehlerhafter Einstellungen nicht starten.</source>
        <translation>The advisor console cannot start because its settings are faulty.</translation>
    </message>
    <message>
        <source>Bitte geben Sie Ihrer IT diese Angaben weiter:</source>
        <translation>Please pass these details on to your IT:</translation>
    </message>
</context>
<context>
    <name>StartProblemBox</name>
    <message>
        <source>Verbindung nicht möglich</source>
        <translation>No connection possible</translation>
    </message>
    <message>
        <source>Bitte geben Sie Ihrer IT diese Angaben weiter:</source>
        <translation>Please pass these details on to your IT:</translation>
    </message>
    <message>
        <source>Erneut versuchen</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Trotzdem öffnen</source>
        <translation>Open anyway</translation>
    </message>
    <message>
        <source>Beenden</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Statistik</source>
        <extracomment>The team whose figures are shown (None: the whole service, as before teams).</extracomment>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>Anonyme Zahlen aller Videotermine dieses Dienstes, ohne Bezug zu Personen oder Terminen. Wochen und Monate nach deutscher Zeit.</source>
        <translation>Anonymous figures of all video appointments of this service, with no reference to persons or appointments. Weeks and months in German time.</translation>
    </message>
    <message>
        <source>&amp;Zahlen von:</source>
        <translation>&amp;Figures of:</translation>
    </message>
    <message>
        <source>Zahlen von</source>
        <translation>Figures of</translation>
    </message>
    <message>
        <source>Alle Termine des Dienstes</source>
        <translation>All appointments of the service</translation>
    </message>
    <message>
        <source>Zeitraum:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Woche</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>Monat</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>Aktualisieren</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Als PNG speichern …</source>
        <translation>Save as PNG …</translation>
    </message>
    <message>
        <source>Als CSV speichern …</source>
        <translation>Save as CSV …</translation>
    </message>
    <message>
        <source>Termine</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <source>Anzahl</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Durchschnittliche Gesprächsdauer</source>
        <translation>Average call length</translation>
    </message>
    <message>
        <source>Minuten</source>
        <translation>Minutes</translation>
    </message>
    <message>
        <source>Verbindungsqualität (Anteil der Gesprächszeit)</source>
        <translation>Connection quality (share of call time)</translation>
    </message>
    <message>
        <source>Prozent</source>
        <translation>Per cent</translation>
    </message>
    <message>
        <source>Umfrage: Durchschnitt der Antworten</source>
        <translation>Survey: average of the answers</translation>
    </message>
    <message>
        <source>1 = schlecht, 5 = sehr gut</source>
        <translation>1 = poor, 5 = very good</translation>
    </message>
    <message>
        <source>KW {week}</source>
        <translation>Wk {week}</translation>
    </message>
    <message>
        <source>Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez</source>
        <translation>Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec</translation>
    </message>
    <message>
        <source>KW {week}/{year}</source>
        <translation>Wk {week}/{year}</translation>
    </message>
    <message>
        <source>Noch keine Zahlen in diesem Zeitraum</source>
        <translation>No figures in this period yet</translation>
    </message>
    <message>
        <source>durchgeführt</source>
        <translation>held</translation>
    </message>
    <message>
        <source>nicht erschienen</source>
        <translation>no-show</translation>
    </message>
    <message>
        <source>gut</source>
        <translation>good</translation>
    </message>
    <message>
        <source>mittel</source>
        <translation>fair</translation>
    </message>
    <message>
        <source>schlecht</source>
        <translation>poor</translation>
    </message>
    <message>
        <source>Zufriedenheit</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>Ton und Bild</source>
        <translation>Sound and picture</translation>
    </message>
    <message>
        <source>Noch keine Antworten in diesem Zeitraum</source>
        <translation>No answers in this period yet</translation>
    </message>
    <message>
        <source>1 Termin durchgeführt</source>
        <translation>1 appointment held</translation>
    </message>
    <message>
        <source>{n} Termine durchgeführt</source>
        <translation>{n} appointments held</translation>
    </message>
    <message>
        <source>1 Antwort in der Umfrage</source>
        <translation>1 survey answer</translation>
    </message>
    <message>
        <source>{n} Antworten in der Umfrage</source>
        <translation>{n} survey answers</translation>
    </message>
    <message>
        <source>Gezeigter Zeitraum: {held}, {no_show} nicht erschienen, {answers}.</source>
        <translation>Period shown: {held}, {no_show} no-shows, {answers}.</translation>
    </message>
    <message>
        <source>{share} % würden wieder einen Termin per Video wahrnehmen.</source>
        <translation>{share} % would use a video appointment again.</translation>
    </message>
    <message>
        <source>Zeitraum</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Beginn</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Termine durchgeführt</source>
        <translation>Appointments held</translation>
    </message>
    <message>
        <source>Nicht erschienen</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <source>Durchschnittliche Dauer (Minuten)</source>
        <translation>Average length (minutes)</translation>
    </message>
    <message>
        <source>Verbindung gut (%)</source>
        <translation>Connection good (%)</translation>
    </message>
    <message>
        <source>Verbindung mittel (%)</source>
        <translation>Connection fair (%)</translation>
    </message>
    <message>
        <source>Verbindung schlecht (%)</source>
        <translation>Connection poor (%)</translation>
    </message>
    <message>
        <source>Antworten Umfrage</source>
        <translation>Survey answers</translation>
    </message>
    <message>
        <source>Zufriedenheit (Durchschnitt 1–5)</source>
        <translation>Satisfaction (average 1–5)</translation>
    </message>
    <message>
        <source>Ton und Bild (Durchschnitt 1–5)</source>
        <translation>Sound and picture (average 1–5)</translation>
    </message>
    <message>
        <source>Wieder per Video: ja</source>
        <translation>Video again: yes</translation>
    </message>
    <message>
        <source>Wieder per Video: nein</source>
        <translation>Video again: no</translation>
    </message>
    <message>
        <source>Wieder per Video: weiß nicht</source>
        <translation>Video again: not sure</translation>
    </message>
    <message>
        <source>Wochen</source>
        <translation>weeks</translation>
    </message>
    <message>
        <source>Monate</source>
        <translation>months</translation>
    </message>
    <message>
        <source>Videotermine-Statistik</source>
        <translation>video-appointment-statistics</translation>
    </message>
    <message>
        <source>Team {name}</source>
        <translation>Team {name}</translation>
    </message>
    <message>
        <source>Die Statistik konnte nicht geladen werden: {reason}</source>
        <translation>The statistics could not be loaded: {reason}</translation>
    </message>
    <message>
        <source>Diagramme speichern</source>
        <translation>Save charts</translation>
    </message>
    <message>
        <source>PNG-Bild (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>Die Diagramme wurden gespeichert.</source>
        <translation>The charts have been saved.</translation>
    </message>
    <message>
        <source>Die Datei konnte nicht gespeichert werden.</source>
        <translation>The file could not be saved.</translation>
    </message>
    <message>
        <source>Zahlen speichern</source>
        <translation>Save figures</translation>
    </message>
    <message>
        <source>CSV-Datei (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <source>Die Datei konnte nicht gespeichert werden: {reason}</source>
        <translation>The file could not be saved: {reason}</translation>
    </message>
    <message>
        <source>Die Zahlen wurden gespeichert.</source>
        <translation>The figures have been saved.</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut; bleibt der Fehler, wenden Sie sich an die IT.</source>
        <translation>An unexpected error occurred. Please try again; if the error persists, contact IT.</translation>
    </message>
</context>
<context>
    <name>TeamDetail</name>
    <message>
        <source>Wählen Sie links eine Person aus.</source>
        <translation>Select a person on the left.</translation>
    </message>
    <message>
        <source>Einlassen</source>
        <translation>Admit</translation>
    </message>
    <message>
        <source>Termin</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Termin bei</source>
        <translation>Appointment with</translation>
    </message>
    <message>
        <source>Kollegin/Kollege ist</source>
        <translation>Colleague is</translation>
    </message>
    <message>
        <source>Im Wartezimmer</source>
        <translation>In the waiting room</translation>
    </message>
    <message>
        <source>Notiz zur Übergabe</source>
        <translation>Handover note</translation>
    </message>
    <message>
        <source>{time} Uhr</source>
        <translation>{time}</translation>
    </message>
    <message>
        <source>{time}, {waited}</source>
        <translation>{time}, {waited}</translation>
    </message>
</context>
<context>
    <name>TeamList</name>
    <message>
        <source>Wartende Personen im Team</source>
        <translation>People waiting in the team</translation>
    </message>
    <message>
        <source>Enter oder Leertaste lässt die Person ein, wenn Sie das dürfen.</source>
        <translation>Enter or Space admits the person when you may.</translation>
    </message>
</context>
<context>
    <name>TeamMembersDialog</name>
    <message>
        <source>Team verwalten</source>
        <translation>Manage team</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>&amp;Mitglieder</source>
        <translation>&amp;Members</translation>
    </message>
    <message>
        <source>Mitglieder</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>Aus dem Team entfernen</source>
        <translation>Remove from the team</translation>
    </message>
    <message>
        <source>Mitglied &amp;hinzufügen (Benutzername):</source>
        <translation>&amp;Add member (user name):</translation>
    </message>
    <message>
        <source>Benutzername</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>z. B. mmuster</source>
        <translation>e.g. mmuster</translation>
    </message>
    <message>
        <source>Teamleitung</source>
        <translation>Team lead</translation>
    </message>
    <message>
        <source>Hinzufügen</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Schließen</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>{name} – {state}</source>
        <translation>{name} – {state}</translation>
    </message>
    <message>
        <source>Sie</source>
        <translation>you</translation>
    </message>
    <message>
        <source>Das Team {name} ist gespeichert.</source>
        <translation>The team {name} is saved.</translation>
    </message>
    <message>
        <source>{name} ist nicht mehr im Team. Es sind keine offenen Termine betroffen.</source>
        <translation>{name} is no longer in the team. No open appointments are affected.</translation>
    </message>
    <message>
        <source>{name} ist nicht mehr im Team. Diese offenen Termine brauchen eine Vertretung (Seite „Termine“, „Vertretung …“); verschoben wurde nichts:</source>
        <translation>{name} is no longer in the team. These open appointments need a substitute (page “Appointments”, “Substitute …”); nothing was moved:</translation>
    </message>
    <message>
        <source>{day}, {time} Uhr: {citizen}</source>
        <translation>{day}, {time}: {citizen}</translation>
    </message>
    <message>
        <source>dd.MM.yyyy</source>
        <translation>dd/MM/yyyy</translation>
    </message>
</context>
<context>
    <name>TeamModel</name>
    <message>
        <source>frei</source>
        <translation>free</translation>
    </message>
    <message>
        <source>im Gespräch</source>
        <translation>in a call</translation>
    </message>
    <message>
        <source>abwesend</source>
        <translation>absent</translation>
    </message>
    <message>
        <source>Termin</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Termin bei</source>
        <translation>Appointment with</translation>
    </message>
    <message>
        <source>Kollegin/Kollege ist</source>
        <translation>Colleague is</translation>
    </message>
    <message>
        <source>Wartet</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Im Wartezimmer seit {time}</source>
        <translation>In the waiting room since {time}</translation>
    </message>
    <message>
        <source>Notiz: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>für {colleague} ({state})</source>
        <translation>for {colleague} ({state})</translation>
    </message>
    <message>
        <source>Sie können einlassen</source>
        <translation>you may admit</translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <source>Im Team wartet gerade niemand.</source>
        <translation>Nobody is waiting in the team right now.</translation>
    </message>
    <message>
        <source>Hier sehen Sie, wer bei Kolleginnen und Kollegen Ihrer Teams wartet. Ist die Kollegin oder der Kollege abwesend oder im Gespräch, können Sie nach Beginn des Termins einlassen.</source>
        <translation>Here you see who is waiting for colleagues of your teams. When the colleague is absent or in a call, you may admit the person once the appointment has begun.</translation>
    </message>
</context>
<context>
    <name>WaitingDetail</name>
    <message>
        <source>Ich komme in wenigen Minuten.</source>
        <translation>I will be with you in a few minutes.</translation>
    </message>
    <message>
        <source>Bitte haben Sie noch etwas Geduld.</source>
        <translation>Please bear with us a little longer.</translation>
    </message>
    <message>
        <source>Ich bin gleich für Sie da.</source>
        <translation>I will be right with you.</translation>
    </message>
    <message>
        <source>dd.MM.yyyy</source>
        <translation>dd/MM/yyyy</translation>
    </message>
    <message>
        <source>Wählen Sie links eine Person aus.</source>
        <extracomment>A ready-made message was chosen (its text, in the interface&apos;s language). &quot;Übergeben …&quot;: hand the person to a team colleague.</extracomment>
        <translation>Select a person on the left.</translation>
    </message>
    <message>
        <source>Einlassen</source>
        <translation>Admit</translation>
    </message>
    <message>
        <source>Nachricht senden</source>
        <translation>Send message</translation>
    </message>
    <message>
        <source>Eigene Nachricht…</source>
        <translation>Own message…</translation>
    </message>
    <message>
        <source>Wegschicken</source>
        <translation>Send away</translation>
    </message>
    <message>
        <source>Übergeben …</source>
        <translation>Hand over …</translation>
    </message>
    <message>
        <source>Die Person an eine Kollegin oder einen Kollegen Ihres Teams übergeben</source>
        <translation>Hand the person over to a colleague of your team</translation>
    </message>
    <message>
        <source>Termin</source>
        <extracomment>A colleague handed this person over: who, and the note for this advisor.</extracomment>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Im Wartezimmer</source>
        <translation>In the waiting room</translation>
    </message>
    <message>
        <source>Verbindung</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>Einwilligung</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Technikcheck</source>
        <translation>Device check</translation>
    </message>
    <message>
        <source>Heute</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>{day}, {time} ({duration})</source>
        <translation>{day}, {time} ({duration})</translation>
    </message>
    <message>
        <source>verbunden</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>Verbindung unterbrochen</source>
        <translation>Connection lost</translation>
    </message>
    <message>
        <source>erteilt am {date} um {time}</source>
        <translation>given on {date} at {time}</translation>
    </message>
    <message>
        <source>erteilt</source>
        <translation>given</translation>
    </message>
    <message>
        <source>Übergeben von {colleague}.</source>
        <translation>Handed over by {colleague}.</translation>
    </message>
    <message>
        <source>Notiz: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>{time}, {waited}</source>
        <translation>{time}, {waited}</translation>
    </message>
    <message>
        <source>Geprüft um {time}.</source>
        <translation>Checked at {time}.</translation>
    </message>
</context>
<context>
    <name>WaitingList</name>
    <message>
        <source>Personen im Wartezimmer</source>
        <translation>People in the waiting room</translation>
    </message>
    <message>
        <source>Enter oder Leertaste lässt die Person ein.</source>
        <translation>Enter or Space admits the person.</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Technikcheck: {verdict}</source>
        <extracomment>The participant id of a row (``Qt.UserRole``).</extracomment>
        <translation>Device check: {verdict}</translation>
    </message>
    <message>
        <source>Termin</source>
        <extracomment>The selected participant&apos;s id, or 0 when nobody is selected. Enter or Space on a row: the advisor wants to let the selected person in.</extracomment>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Wartet</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Technik</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Verbindung</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>Technik {verdict}</source>
        <translation>Devices {verdict}</translation>
    </message>
    <message>
        <source>verbunden</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>Verbindung unterbrochen</source>
        <translation>Connection lost</translation>
    </message>
    <message>
        <source>Im Wartezimmer seit {time}</source>
        <translation>In the waiting room since {time}</translation>
    </message>
    <message>
        <source>Die Verbindung der Person ist abgebrochen. Sie behält ihren Platz, wenn sie sich gleich wieder verbindet.</source>
        <translation>The person&apos;s connection dropped. They keep their place if they reconnect soon.</translation>
    </message>
</context>
<context>
    <name>WaitingRoomPage</name>
    <message>
        <source>Wartezimmer</source>
        <extracomment>The service confirmed an admission this console asked for (the :class:`WaitingEntry`). How many people are waiting now. Somebody new entered the waiting room (the number of new people). A participant revoked their consent (participant id); the call page drops them too. Appointments of this advisor changed elsewhere (a colleague&apos;s substitution). The lead asks for the team membership dialog.</extracomment>
        <translation>Waiting room</translation>
    </message>
    <message>
        <source>Verbindung zum Wartezimmer</source>
        <translation>Connection to the waiting room</translation>
    </message>
    <message>
        <source>Ton bei Ankunft</source>
        <translation>Sound on arrival</translation>
    </message>
    <message>
        <source>Ein kurzer Ton, wenn jemand das Wartezimmer betritt (nie während eines Gesprächs).</source>
        <translation>A short sound when somebody enters the waiting room (never during a call).</translation>
    </message>
    <message>
        <source>Zurzeit wartet niemand.</source>
        <translation>Nobody is waiting at the moment.</translation>
    </message>
    <message>
        <source>Sobald jemand das Wartezimmer betritt, erscheint die Person hier. Sie hören einen Ton und sehen eine Mitteilung.</source>
        <translation>As soon as somebody enters the waiting room, they appear here. You hear a sound and see a notification.</translation>
    </message>
    <message>
        <source>Ansicht des Wartezimmers</source>
        <translation>Waiting room view</translation>
    </message>
    <message>
        <source>Strg+Tab wechselt die Ansicht</source>
        <translation>Ctrl+Tab switches the view</translation>
    </message>
    <message>
        <source>Meine Termine</source>
        <translation>My appointments</translation>
    </message>
    <message>
        <source>Team verwalten …</source>
        <translation>Manage team …</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Wer bei Kolleginnen und Kollegen Ihrer Teams wartet (Strg+Tab wechselt)</source>
        <translation>Who is waiting for colleagues of your teams (Ctrl+Tab switches)</translation>
    </message>
    <message>
        <source>Niemand wartet</source>
        <translation>Nobody is waiting</translation>
    </message>
    <message>
        <source>1 Person wartet</source>
        <translation>1 person is waiting</translation>
    </message>
    <message>
        <source>{n} Personen warten</source>
        <translation>{n} people are waiting</translation>
    </message>
    <message>
        <source>Live verbunden</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Verbindung unterbrochen – wird wiederhergestellt…</source>
        <translation>Connection lost – reconnecting…</translation>
    </message>
    <message>
        <source>Verbindung wird hergestellt…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Die Liste zeigt den letzten bekannten Stand. Einlassen, Nachrichten und Wegschicken sind wieder möglich, sobald die Verbindung steht.</source>
        <translation>The list shows the last known state. Admitting, messages and sending away are possible again once the connection is back.</translation>
    </message>
    <message>
        <source>Team ({n})</source>
        <translation>Team ({n})</translation>
    </message>
    <message>
        <source>Meine Termine ({n})</source>
        <translation>My appointments ({n})</translation>
    </message>
    <message>
        <source>Keine Verbindung zum Dienst.</source>
        <translation>No connection to the service.</translation>
    </message>
    <message>
        <source>{colleague} lässt die Person selbst ein. Einlassen können Sie, wenn {colleague} abwesend oder im Gespräch ist und der Termin schon einige Minuten begonnen hat.</source>
        <translation>{colleague} admits the person themselves. You may admit when {colleague} is absent or in a call and the appointment began a few minutes ago.</translation>
    </message>
    <message>
        <source>Beenden Sie zuerst das laufende Gespräch, um diese Person einzulassen.</source>
        <translation>End the current call first to admit this person.</translation>
    </message>
    <message>
        <source>Eine Person</source>
        <translation>Somebody</translation>
    </message>
    <message>
        <source>Die Verbindung im Gespräch mit {name} ist abgebrochen. {name} wartet wieder im Wartezimmer; lassen Sie die Person erneut ein, um weiterzusprechen.</source>
        <translation>The connection in the call with {name} broke off. {name} is waiting in the waiting room again; admit them again to go on talking.</translation>
    </message>
    <message>
        <source>{name} wurde von {colleague} eingelassen.</source>
        <translation>{name} was admitted by {colleague}.</translation>
    </message>
    <message>
        <source>{colleague} hat Ihnen {name} übergeben.</source>
        <translation>{colleague} handed {name} over to you.</translation>
    </message>
    <message>
        <source>eine wartende Person</source>
        <translation>a waiting person</translation>
    </message>
    <message>
        <source>Notiz: {note}</source>
        <translation>Note: {note}</translation>
    </message>
    <message>
        <source>{name} wurde an {colleague} übergeben.</source>
        <translation>{name} was handed over to {colleague}.</translation>
    </message>
    <message>
        <source>{name} wurde an eine Kollegin oder einen Kollegen übergeben.</source>
        <translation>{name} was handed over to a colleague.</translation>
    </message>
    <message>
        <source>{name} wurde weggeschickt.</source>
        <translation>{name} was sent away.</translation>
    </message>
    <message>
        <source>{name} wurde an einem anderen Arbeitsplatz weggeschickt.</source>
        <translation>{name} was sent away from another workstation.</translation>
    </message>
    <message>
        <source>{name} wurde an einem anderen Arbeitsplatz eingelassen.</source>
        <translation>{name} was admitted at another workstation.</translation>
    </message>
    <message>
        <source>{name} hat das Wartezimmer verlassen.</source>
        <translation>{name} has left the waiting room.</translation>
    </message>
    <message>
        <source>{name} ist nicht mehr verbunden und hat das Wartezimmer verlassen.</source>
        <translation>{name} lost the connection and has left the waiting room.</translation>
    </message>
    <message>
        <source>{name} hat die Einwilligung widerrufen. Ihre Daten zu diesem Termin wurden gelöscht.</source>
        <translation>{name} has revoked their consent. Their data for this appointment has been deleted.</translation>
    </message>
    <message>
        <source>Eine teilnehmende Person hat die Einwilligung widerrufen. Ihre Daten zu diesem Termin wurden gelöscht.</source>
        <translation>A participant has revoked their consent. Their data for this appointment has been deleted.</translation>
    </message>
    <message>
        <source>Die Nachricht an {name} ist gesendet.</source>
        <translation>The message to {name} has been sent.</translation>
    </message>
</context>
</TS>
