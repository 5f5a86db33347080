import { atLeastOne, plurals } from './counting';
import type { Strings } from './strings';

const { count, pick } = plurals('de');

/**
 * Die Texte der Bibliothek auf Deutsch, in der Sie-Form. Begriffe: „Bestätigung in zwei Schritten“
 * (two-step verification), „Bestätigungscode“, „Wiederherstellungscode“, „vertrauenswürdiger
 * Browser“, „Sitzung“, „anmelden“/„abmelden“. SMS-Texte nur mit Zeichen des GSM-7-Alphabets (ä, ö,
 * ü und ß gehören dazu, typografische Anführungszeichen nicht).
 */
export const de: Strings = {
  intlLocale: 'de-DE',
  voiceLanguage: 'de-DE',

  // ---- Bestätigungsseite ----
  verifyTitle: 'Bestätigen Sie, dass Sie es sind',
  codeLabel: 'Geben Sie den 6-stelligen Code ein',
  trustLabel: (days) => `Diesem Browser ${count(days, { one: 'Tag', other: 'Tage' })} lang vertrauen`,
  trustHint:
    'In dieser Zeit werden Sie hier nicht nach einem Code gefragt. Lassen Sie das Kästchen an einem gemeinsam genutzten oder öffentlichen Computer leer.',
  verifyButton: 'Bestätigen',
  resendHeading: 'Keinen Code erhalten?',
  resendButton: 'Neuen Code senden',
  otherMethodsHeading: 'Anderen Weg wählen',
  signOutButton: 'Abbrechen und abmelden',
  notYouPrompt: 'Nicht Sie?',
  notYouButton: 'Abmelden',
  lockedHint: 'Sie können wieder einen Code eingeben, sobald die Sperre endet.',

  noticePrefix: { error: 'Fehler:', info: 'Hinweis:' },

  // ---- Hinweise auf der Bestätigungsseite ----
  attemptsLeft: (n) =>
    n <= 0 ? 'Für diesen Code haben Sie keine Versuche mehr.' : `Sie haben noch ${count(n, { one: 'Versuch', other: 'Versuche' })}.`,
  wrongCode: (attemptsLeft) => `Dieser Code ist nicht richtig. ${de.attemptsLeft(attemptsLeft)}`,
  wrongAnswer: 'Das hat nicht funktioniert. Prüfen Sie Ihre Eingabe und versuchen Sie es erneut.',
  codeExpired: 'Dieser Code ist abgelaufen. Fordern Sie unten einen neuen an.',
  tooManyAttempts: 'Dieser Code wurde zu oft falsch eingegeben. Fordern Sie unten einen neuen an.',
  lockedFor: (minutes) =>
    `Zu viele Fehlversuche. Versuchen Sie es in ${count(atLeastOne(minutes), { one: 'Minute', other: 'Minuten' })} erneut.`,
  resendIn: (seconds) =>
    `Bitte warten Sie ${count(atLeastOne(seconds), { one: 'Sekunde', other: 'Sekunden' })}, bevor Sie einen weiteren Code anfordern.`,
  tooManyCodes: (minutes) =>
    `In letzter Zeit wurden Ihnen zu viele Codes gesendet. Sie können in ${count(atLeastOne(minutes), { one: 'Minute', other: 'Minuten' })} einen neuen anfordern.`,
  lockedOut:
    'Es wurden zu viele falsche Codes eingegeben, daher sind Codes für Ihr Konto ausgeschaltet. Melden Sie sich mit einem Wiederherstellungscode an oder bitten Sie Ihren Administrator, Ihr Konto zu entsperren.',
  proofIntro: (maskedEmail) =>
    `Bevor Sie eine Telefonnummer hinzufügen, bestätigen Sie, dass Sie es sind: Wir haben einen 6-stelligen Code an ${maskedEmail} gesendet.`,
  codeFormat: 'Der Code hat 6 Ziffern. Prüfen Sie ihn und versuchen Sie es erneut.',
  sendFailed: 'Wir konnten gerade keinen Code senden. Wählen Sie einen anderen Weg oder versuchen Sie es in ein paar Minuten erneut.',
  sendFailedNoOtherWay:
    'Wir konnten Ihr Telefon gerade nicht erreichen. Versuchen Sie es in ein paar Minuten erneut oder verwenden Sie einen Wiederherstellungscode.',
  noActiveCode: 'Es wartet kein Code auf seine Eingabe. Fordern Sie unten einen neuen an.',

  // ---- Meldungsseiten (4xx / 503) ----
  unavailableTitle: 'Bestätigung nicht verfügbar',
  unavailable: 'Wir können gerade keine Codes prüfen. Bitte versuchen Sie es in ein paar Minuten erneut.',
  sessionExpiredTitle: 'Ihre Anmeldung ist abgelaufen',
  sessionExpired: 'Ihre Anmeldung hat zu lange gedauert und ist abgelaufen. Bitte melden Sie sich erneut an.',
  signInAgain: 'Erneut anmelden',
  formExpiredTitle: 'Dieses Formular ist abgelaufen',
  formExpired: 'Dieses Formular ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut.',
  backToVerify: 'Zurück zur Bestätigungsseite',
  notFoundTitle: 'Seite nicht gefunden',
  notFound: 'Unter dieser Adresse gibt es nichts.',
  tooLargeTitle: 'Anfrage zu groß',
  tooLarge: 'Diese Anfrage war zu groß. Gehen Sie zurück und versuchen Sie es erneut.',
  crossSiteTitle: 'Anfrage abgelehnt',
  crossSite:
    'Dieses Formular wurde von einer anderen Website gesendet, daher wurde nichts geändert. Gehen Sie zurück zur Seite und versuchen Sie es erneut.',
  badAddressTitle: 'Ungültige Adresse',
  badAddress: 'Diese Adresse ist fehlerhaft. Prüfen Sie sie und versuchen Sie es erneut.',
  badFormTitle: 'Dieses Formular konnte nicht verwendet werden',
  badForm: 'Das Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es erneut.',
  signInFailedTitle: 'Wir konnten Sie nicht anmelden',
  signInFailed:
    'Ihr Passwort war richtig, aber bei diesem Konto ist eine Anmeldung gerade nicht möglich, daher wurde nichts geändert. Versuchen Sie es später erneut oder wenden Sie sich an den Support, wenn das weiter passiert.',

  // ---- Codes per E-Mail, SMS und Anruf ----
  codeSubject: (code, siteName) => `${code} ist Ihr Bestätigungscode für ${siteName}`,
  codeIntro: (siteName, purpose) =>
    ({
      'enroll-phone': `Mit diesem Code bestätigen Sie Ihre Telefonnummer für ${siteName}:`,
      reauth: `Mit diesem Code bestätigen Sie, dass Sie es sind, bevor Sie Ihre Sicherheitseinstellungen bei ${siteName} ändern:`,
      'sign-in': `Mit diesem Code schließen Sie Ihre Anmeldung bei ${siteName} ab:`,
    })[purpose],
  codeExpires: (minutes) => `Dieser Code läuft in ${count(minutes, { one: 'Minute', other: 'Minuten' })} ab.`,
  notYou: (purpose) =>
    `${purpose === 'sign-in' ? 'Wenn Sie nicht versucht haben, sich anzumelden' : 'Wenn Sie diesen Code nicht angefordert haben'}, kennt womöglich jemand Ihr Passwort: Ändern Sie es sofort und geben Sie diesen Code an niemanden weiter.`,
  // GSM-7 only: ä, ü and ß are in its alphabet; curly quotes would switch the SMS to UCS-2.
  codeSms: (code, siteName, minutes) =>
    `${code} ist Ihr Bestätigungscode für ${siteName}. Er läuft in ${count(minutes, { one: 'Minute', other: 'Minuten' })} ab. Geben Sie ihn nicht weiter.`,
  codeSpeech: (siteName, spokenDigits) => `Ihr Bestätigungscode für ${siteName} lautet: ${spokenDigits}. Noch einmal: ${spokenDigits}.`,
  codeSpeechExpires: (minutes) => `Er läuft in ${count(minutes, { one: 'Minute', other: 'Minuten' })} ab. Auf Wiederhören.`,

  // ---- Code-Seiten außer der Anmeldung (Telefonnummer, erneute Bestätigung) ----
  endOthersLabel: 'Auch meine anderen Sitzungen abmelden',
  enrolTitle: 'Bestätigen Sie Ihre Telefonnummer',
  confirmNumber: 'Geben Sie ihn ein, um die Nummer zu bestätigen.',
  useDifferentNumber: 'Andere Nummer verwenden',
  adminPhoneFixed:
    'Ihr Administrator hat diese Nummer festgelegt. Geben Sie den Code ein, der an sie gesendet wurde, oder bitten Sie ihn, die Nummer zu ändern.',
  cancel: 'Abbrechen',

  // ---- Telefonnummer eingeben ----
  phoneAddHeading: 'Telefonnummer hinzufügen',
  phoneChangeHeading: 'Telefonnummer ändern',
  phoneSignInIntro: 'Ihr Konto braucht eine Telefonnummer für Bestätigungscodes. Wir senden einen Code, um sie zu bestätigen.',
  phoneAddIntro: 'Wir senden einen Code an die Nummer, um sie zu bestätigen.',
  phoneChangeIntro:
    'Wir senden einen Code an die neue Nummer, um sie zu bestätigen. Bis dahin gehen Ihre Codes weiter an Ihre bisherige Nummer.',
  phoneLabel: 'Telefonnummer',
  phoneHint: 'Mit Ländervorwahl, z. B. +49 30 1234567',
  phoneMethodLegend: 'Wie sollen wir den Code senden?',
  sendCodeButton: 'Code senden',
  phoneInvalid: 'Das sieht nicht nach einer Telefonnummer aus. Geben Sie sie mit Ländervorwahl ein, z. B. +49 30 1234567.',
  phoneNotPossible:
    'Diese Nummer hat zu wenige oder zu viele Ziffern für ihr Land. Prüfen Sie sie und geben Sie die Ländervorwahl mit ein.',
  phoneCountryNotAllowed: 'An Nummern in diesem Land können wir keine Codes senden.',
  phoneNotMobileOrFixed:
    'Diese Nummer kann keine Bestätigungscodes empfangen (Premium-, gebührenfreie und ähnliche Nummern werden nicht unterstützt).',
  phoneNoCountry:
    'An Satellitentelefone und Nummern internationaler Netze können wir keine Codes senden. Verwenden Sie eine Nummer Ihres Landes.',
  phoneCantReceive: (method) => (method === 'sms' ? 'Diese Nummer kann keine SMS empfangen.' : 'Diese Nummer kann keine Anrufe empfangen.'),
  phoneSendLimited: 'An diese Nummer oder aus Ihrem Netz wurden zu viele Codes gesendet. Versuchen Sie es später erneut.',
  phoneChanged: 'Ihre Telefonnummer wurde geändert.',
  methodNeedsPhone: 'Fügen Sie eine Telefonnummer hinzu, bevor Sie SMS oder Anrufe wählen.',
  emailCodesOffButton: 'Keine Codes per E-Mail senden',
  emailCodesOnButton: 'Codes wieder per E-Mail senden',
  emailCodesOffHint:
    'Ihre Codes gehen nur an Ihr Telefon. Wenn Sie sie nicht erhalten, melden Sie sich mit einem Wiederherstellungscode an.',
  emailCodesSwitched: (allowed) =>
    allowed ? 'Codes können wieder per E-Mail gesendet werden.' : 'Codes werden nicht mehr per E-Mail gesendet, nur noch an Ihr Telefon.',
  emailCodesSwitchedText: (siteName, allowed) =>
    allowed
      ? `Ihre Bestätigungscodes für ${siteName} dürfen wieder per E-Mail gesendet werden.`
      : `Ihre Bestätigungscodes für ${siteName} werden nicht mehr per E-Mail gesendet, nur noch an Ihr Telefon.`,

  // ---- Einstellungen ----
  settingsTitle: 'Bestätigung in zwei Schritten',
  statusEnforced: 'Ihre Organisation verlangt die Bestätigung in zwei Schritten.',
  statusOn: 'Die Bestätigung in zwei Schritten ist für Ihr Konto eingeschaltet.',
  statusOff: 'Die Bestätigung in zwei Schritten ist für Ihr Konto ausgeschaltet.',
  enableLegend: 'Einschalten: Wir senden einen Code, um den gewählten Weg zu bestätigen.',
  enableButton: 'Bestätigung in zwei Schritten einschalten',
  disableButton: 'Bestätigung in zwei Schritten ausschalten',
  switchedOn:
    'Die Bestätigung in zwei Schritten ist eingeschaltet. Sie erhalten einen Code, wenn Sie sich in einem Browser anmelden, dem Sie nicht vertrauen.',
  switchedOff: 'Die Bestätigung in zwei Schritten ist ausgeschaltet.',
  cannotSwitchOff: 'Ihre Organisation verlangt die Bestätigung in zwei Schritten, daher kann sie nicht ausgeschaltet werden.',
  methodHeading: 'Wie Sie bestätigen, dass Sie es sind',
  saveButton: 'Speichern',
  phoneHeading: 'Telefonnummer',
  phoneNone: 'Keine',
  addPhoneButton: 'Telefonnummer hinzufügen',
  changePhoneButton: 'Telefonnummer ändern',
  sessionsHeading: 'Wo Sie angemeldet sind',
  sessionColumns: { signedIn: 'Angemeldet', lastActive: 'Zuletzt aktiv', place: 'Ort' },
  thisSession: 'Diese Sitzung',
  signOutSessionButton: 'Abmelden',
  signOutOthersButton: 'Alle anderen Sitzungen abmelden',
  sessionEnded: 'Diese Sitzung ist abgemeldet.',
  sessionsEnded: (n) =>
    n <= 0
      ? 'Es gab keine anderen Sitzungen zum Abmelden.'
      : `${pick(n, { one: '{n} andere Sitzung wurde', other: '{n} andere Sitzungen wurden' })} abgemeldet.`,
  credentialColumns: { added: 'Hinzugefügt', lastUsed: 'Zuletzt verwendet' },
  removeButton: 'Entfernen',
  credentialNotFound: 'Das wurde bereits entfernt.',
  devicesHeading: 'Vertrauenswürdige Browser',
  devicesIntro: 'Diese Browser fragen bei der Anmeldung nicht nach einem Code, bis das Vertrauen abläuft oder Sie es widerrufen.',
  devicesEmpty:
    'Sie vertrauen noch keinem Browser. Setzen Sie bei der Eingabe eines Codes das Häkchen bei „Diesem Browser vertrauen“, um einen hinzuzufügen.',
  unknownBrowser: 'Unbekannter Browser',
  thisBrowser: 'Dieser Browser',
  thisBrowserInText: 'dieser Browser',
  deviceColumns: { trusted: 'Vertraut seit', lastUsed: 'Zuletzt verwendet', place: 'Ort', expires: 'Läuft ab' },
  revokeButton: 'Widerrufen',
  revokeAllButton: 'Alle widerrufen',
  deviceRevoked: 'Diesem Browser wird nicht mehr vertraut.',
  devicesRevoked: (n) =>
    n <= 0
      ? 'Es gab keine vertrauenswürdigen Browser zum Widerrufen.'
      : `${pick(n, { one: '{n} Browser wird', other: '{n} Browsern wird' })} nicht mehr vertraut.`,
  deviceNotFound: 'Dieser Browser wurde bereits widerrufen oder ist abgelaufen.',
  revokeCurrentHint: 'Wenn Sie diesen Browser widerrufen, werden Sie bei der nächsten Anmeldung hier nach einem Code gefragt.',
  recoveryHeading: 'Wiederherstellungscodes',
  recoveryIntro:
    'Wenn Sie keinen Code erhalten können, zum Beispiel weil Ihr Telefon verloren ist, können Sie sich mit einem Wiederherstellungscode anmelden.',
  recoveryLeft: (n) =>
    n <= 0
      ? 'Sie haben keine unbenutzten Wiederherstellungscodes.'
      : `Sie haben ${pick(n, { one: '{n} unbenutzten Wiederherstellungscode', other: '{n} unbenutzte Wiederherstellungscodes' })}.`,
  recoveryRegenerateWarning: 'Wenn Sie neue Codes erzeugen, gelten alle Ihre alten Codes nicht mehr.',
  recoveryGenerateButton: 'Neue Wiederherstellungscodes erzeugen',
  back: 'Zurück',
  unknownDate: 'unbekannt',
  clientsHeading: 'Apps, die nicht nach einem Code fragen können',
  clientsIntro: 'Netzlaufwerke, Desktop-Sync-Apps und API-Tokens melden sich ohne Bestätigungscode bei Ihrem Konto an.',
  clientsAllowed: 'Sie haben Zugriff auf Ihr Konto.',
  clientsBlocked: 'Sie sind gesperrt: Nur ein Browser, der die Bestätigung in zwei Schritten bestanden hat, hat Zugriff auf Ihr Konto.',
  clientsBlockedByAccount: 'Ihre Organisation sperrt sie für alle Benutzer.',
  blockClientsButton: 'Diese Apps sperren',
  allowClientsButton: 'Diese Apps wieder zulassen',
  allowClientsHint: 'Wir senden Ihnen zuerst einen Code, um zu bestätigen, dass Sie es sind.',
  clientsSwitched: (blocked) =>
    blocked
      ? 'Apps, die nicht nach einem Code fragen können, sind jetzt gesperrt.'
      : 'Apps, die nicht nach einem Code fragen können, haben wieder Zugriff auf Ihr Konto.',

  // ---- Gesperrte Clients ----
  clientBlockedTitle: 'Diese App ist gesperrt',
  clientBlockedByUser:
    'Diese App kann sich nicht bei Ihrem Konto anmelden: Sie haben Apps gesperrt, die nicht nach einem Bestätigungscode fragen können (Netzlaufwerke, Desktop-Sync, API-Tokens). Verwenden Sie die Website oder lassen Sie diese Apps in Ihren Sicherheitseinstellungen wieder zu.',
  clientBlockedByAccount:
    'Diese App kann sich nicht bei Ihrem Konto anmelden: Ihre Organisation sperrt Apps, die nicht nach einem Bestätigungscode fragen können (Netzlaufwerke, Desktop-Sync, API-Tokens). Verwenden Sie stattdessen die Website.',
  openSettings: 'Sicherheitseinstellungen öffnen',

  // ---- Wiederherstellungscodes ----
  recoverySummary: 'Stattdessen einen Wiederherstellungscode verwenden',
  recoveryLabel: 'Wiederherstellungscode',
  recoveryHint: 'Jeder Wiederherstellungscode gilt nur einmal.',
  recoveryButton: 'Wiederherstellungscode verwenden',
  recoveryInvalid: 'Dieser Wiederherstellungscode ist nicht gültig.',
  recoveryUsed: (remaining) =>
    remaining <= 0
      ? 'Sie haben sich mit einem Wiederherstellungscode angemeldet. Sie haben keine Wiederherstellungscodes mehr; erzeugen Sie in den Einstellungen neue.'
      : `Sie haben sich mit einem Wiederherstellungscode angemeldet. Sie haben noch ${remaining}; erzeugen Sie in den Einstellungen neue.`,
  recoveryCodesTitle: 'Ihre Wiederherstellungscodes',
  recoveryCodesIntro: 'Bewahren Sie diese sicher auf. Jeder Code gilt einmal. Sie werden nicht noch einmal angezeigt.',
  recoveryCodesHint:
    'Speichern Sie sie in einem Passwort-Manager oder drucken Sie diese Seite aus. Wiederherstellungscodes, die Sie vorher hatten, gelten nicht mehr.',
  recoveryCodesListLabel: 'Wiederherstellungscodes',
  done: 'Fertig',

  // ---- Sicherheits-E-Mails ----
  noticeWhen: 'Wann',
  noticeBrowser: 'Browser',
  noticePlace: 'Ort',
  newSignInSubject: (siteName) => `Neue Anmeldung bei Ihrem Konto bei ${siteName}`,
  newSignInText: (siteName) =>
    `Bei Ihrem Konto bei ${siteName} gab es eine Anmeldung aus einem Browser, der nicht als vertrauenswürdig gilt. Ihre Sicherheitseinstellungen zeigen, wo Sie angemeldet sind; melden Sie dort jede Sitzung ab, die Sie nicht kennen.`,
  notYouNotice: 'Wenn Sie das nicht waren, ändern Sie Ihr Passwort und wenden Sie sich an Ihren Administrator.',
  deviceTrustedSubject: (siteName) => `Ihr Konto bei ${siteName} vertraut einem neuen Browser`,
  deviceTrustedText: (siteName) =>
    `Ihr Konto bei ${siteName} vertraut jetzt einem weiteren Browser. Er wird nicht nach einem Bestätigungscode gefragt, bis das Vertrauen abläuft.`,
  phoneChangedSubject: (siteName) => `Ihre Telefonnummer bei ${siteName} wurde geändert`,
  phoneChangedText: (siteName, maskedPhone) =>
    maskedPhone === null
      ? `Die Telefonnummer für Bestätigungscodes wurde aus Ihrem Konto bei ${siteName} entfernt.`
      : `Die Telefonnummer für Bestätigungscodes Ihres Kontos bei ${siteName} wurde in ${maskedPhone} geändert.`,
  phoneSetByAdminText: (siteName, maskedPhone) =>
    `Ein Administrator hat ${maskedPhone} als Telefonnummer für Ihre Bestätigungscodes bei ${siteName} festgelegt. Ihre nächste Anmeldung sendet einen Code an diese Nummer; mit der Eingabe dieses Codes bestätigen Sie sie.`,
  methodChangedSubject: (siteName) => `Der Weg Ihrer Bestätigungscodes für ${siteName} hat sich geändert`,
  credentialAddedSubject: (siteName) => `Ihrem Konto bei ${siteName} wurde eine neue Anmeldemethode hinzugefügt`,
  credentialAddedText: (siteName, method) => `Für die Anmeldung bei Ihrem Konto bei ${siteName} wurde neu eingerichtet: ${method}.`,
  credentialRemovedSubject: (siteName) => `Aus Ihrem Konto bei ${siteName} wurde eine Anmeldemethode entfernt`,
  credentialRemovedText: (siteName, method) => `Eine Ihrer Anmeldemethoden bei ${siteName} wurde entfernt: ${method}.`,
  noticeName: 'Name',
  failedCodesSubject: (siteName) => `Fehlgeschlagene Anmeldeversuche bei Ihrem Konto bei ${siteName}`,
  failedCodesText: (siteName, failures) =>
    `Jemand hat bei der Anmeldung bei Ihrem Konto bei ${siteName} ${count(failures, { one: 'Mal', other: 'Mal' })} einen falschen Bestätigungscode eingegeben. Wer das versucht hat, kannte bereits Ihr Passwort.`,
  recoveryUsedSubject: (siteName) => `Bei Ihrem Konto bei ${siteName} wurde ein Wiederherstellungscode verwendet`,
  recoveryUsedText: (siteName, remaining) =>
    `Für eine Anmeldung bei Ihrem Konto bei ${siteName} wurde ein Wiederherstellungscode verwendet. ${remaining <= 0 ? 'Sie haben keine Wiederherstellungscodes mehr.' : `Sie haben noch ${count(remaining, { one: 'Wiederherstellungscode', other: 'Wiederherstellungscodes' })}.`}`,

  twoFactorSwitchedSubject: (siteName, enabled) =>
    `Die Bestätigung in zwei Schritten wurde für Ihr Konto bei ${siteName} ${enabled ? 'eingeschaltet' : 'ausgeschaltet'}`,
  twoFactorSwitchedText: (siteName, enabled) =>
    enabled
      ? `Die Bestätigung in zwei Schritten ist jetzt für Ihr Konto bei ${siteName} eingeschaltet: Die Anmeldung in einem neuen Browser braucht einen Code.`
      : `Die Bestätigung in zwei Schritten ist jetzt für Ihr Konto bei ${siteName} ausgeschaltet: Ihr Passwort allein meldet Sie an.`,
  clientsSwitchedSubject: (siteName, blocked) =>
    blocked
      ? `Apps ohne Bestätigungscode sind für Ihr Konto bei ${siteName} gesperrt`
      : `Apps ohne Bestätigungscode haben wieder Zugriff auf Ihr Konto bei ${siteName}`,
  clientsSwitchedText: (siteName, blocked) =>
    blocked
      ? `Netzlaufwerke, Desktop-Sync-Apps und API-Tokens haben keinen Zugriff mehr auf Ihr Konto bei ${siteName}: Nur ein Browser, der die Bestätigung in zwei Schritten bestanden hat, hat ihn.`
      : `Netzlaufwerke, Desktop-Sync-Apps und API-Tokens haben wieder Zugriff auf Ihr Konto bei ${siteName}, ohne Bestätigungscode.`,
  recoveryGeneratedSubject: (siteName) => `Für Ihr Konto bei ${siteName} wurden neue Wiederherstellungscodes erzeugt`,
  recoveryGeneratedText: (siteName) =>
    `Für Ihr Konto bei ${siteName} wurden neue Wiederherstellungscodes erzeugt. Die Codes, die Sie vorher hatten, gelten nicht mehr.`,
  lockedOutSubject: (siteName) => `Bestätigungscodes sind für Ihr Konto bei ${siteName} ausgeschaltet`,
  lockedOutText: (siteName) =>
    `Bei der Anmeldung bei Ihrem Konto bei ${siteName} wurden 100-mal in Folge falsche Bestätigungscodes eingegeben, daher sind Codes ausgeschaltet. Wer das versucht hat, kannte bereits Ihr Passwort: Ändern Sie es. Um sich anzumelden, verwenden Sie einen Wiederherstellungscode oder bitten Sie Ihren Administrator, Ihr Konto zu entsperren.`,

  // ---- Entwicklungs-Postausgang ----
  outboxTitle: 'Entwicklungs-Postausgang',
  outboxBanner: 'Entwicklungs-Postausgang – in der Produktion nie eingeschaltet',
  outboxIntro: 'Codes, die die Bibliothek gesendet hätte, die neuesten zuerst. Laden Sie die Seite neu, um neue zu sehen.',
  outboxEmpty: 'Es wurden noch keine Codes gesendet.',
  sessionWarning: {
    heading: 'Ihre Sitzung endet gleich',
    endsInMinutes: { one: 'Ihre Sitzung endet in {n} Minute.', other: 'Ihre Sitzung endet in {n} Minuten.' },
    endsInSeconds: { one: 'Ihre Sitzung endet in {n} Sekunde.', other: 'Ihre Sitzung endet in {n} Sekunden.' },
    stay: 'Angemeldet bleiben',
    signOut: 'Jetzt abmelden',
  },
  outboxColumns: { at: 'Gesendet', method: 'Weg', to: 'An', purpose: 'Zweck', code: 'Code' },

  codeExpiresAt: (time: string): string => `Der Code läuft um ${time} ab.`,
  codeExpiredAt: (time: string): string => `Der Code ist um ${time} abgelaufen.`,
  newCodeAt: (time: string): string => `Sie können ab ${time} einen neuen Code anfordern.`,
  recoveryCodesActionsLabel: 'Wiederherstellungscodes sichern',
  recoveryCodesDownload: 'Herunterladen (.txt)',
  recoveryCodesCopy: 'Kopieren',
  recoveryCodesPrint: 'Drucken',
  recoveryCodesCopied: 'Die Codes sind in Ihre Zwischenablage kopiert.',
  recoveryCodesCopyFailed: 'Die Codes konnten nicht kopiert werden. Markieren und kopieren Sie sie selbst, oder laden Sie sie herunter.',
};
