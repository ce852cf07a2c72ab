<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="de">
<context>
    <name>AppointmentDetail</name>
    <message>
        <source>Wählen Sie links einen Termin aus.</source>
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
        <source>Termin</source>
        <translation>When</translation>
    </message>
    <message>
        <source>z. B. Weiterbewilligung, Bewerbungsunterlagen</source>
        <translation>e.g. renewal of benefits, application documents</translation>
    </message>
    <message>
        <source>Thema</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Vor- und Nachname</source>
        <translation>First and last name</translation>
    </message>
    <message>
        <source>Bürgerin/Bürger</source>
        <translation>Citizen</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Kundennummer</source>
        <translation>Customer number</translation>
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
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Sprache der Einladung</source>
        <translation>Invitation language</translation>
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
        <source>Die E-Mail-Adresse ist ungültig. Bitte prüfen Sie die Schreibweise.</source>
        <translation>The e-mail address is not valid. Please check the spelling.</translation>
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
        <source>Zeit</source>
        <extracomment>The selected appointment&apos;s id, or 0 when nothing is selected. Double click or Enter on an appointment.</extracomment>
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
        <source>Neuer Termin</source>
        <translation>New appointment</translation>
    </message>
    <message>
        <source>Termine</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <source>Postausgang</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Angemeldet: {name}</source>
        <translation>Signed in: {name}</translation>
    </message>
    <message>
        <source>Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.</source>
        <translation>Your sign-in has expired. Please sign in again.</translation>
    </message>
    <message>
        <source>Verbunden</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>Dienst nicht erreichbar</source>
        <translation>Service unreachable</translation>
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
        <source>Erneut senden</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Wählen Sie oben eine E-Mail aus.</source>
        <translation>Select an e-mail above.</translation>
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
    <name>TaskRunner</name>
    <message>
        <source>Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut; bleibt der Fehler, wenden Sie sich an die IT.</source>
        <translation>An unexpected error occurred. Please try again; if the error persists, contact IT.</translation>
    </message>
</context>
</TS>
