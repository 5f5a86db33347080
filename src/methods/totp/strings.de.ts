import type { TotpWords } from './strings';

/** Die Wörter eines Codes aus einer Authenticator-App. */
export const de: TotpWords = {
  label: 'Authenticator-App',
  name: 'Authenticator-App',
  heading: 'Öffnen Sie Ihre Authenticator-App',
  intro: (entry) => `Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App für ${entry} anzeigt.`,
  reauthIntro: (entry) =>
    `Bestätigen Sie zuerst, dass Sie es sind: Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App für ${entry} anzeigt.`,
  switchTo: 'Meine Authenticator-App verwenden',
  chosen: 'Ab jetzt fragen wir nach einem Code aus Ihrer Authenticator-App.',
  unavailable: 'Richten Sie zuerst eine Authenticator-App ein.',

  enrolment: {
    heading: 'Authenticator-App',
    add: 'Authenticator-App einrichten',
    none: 'Es ist keine Authenticator-App eingerichtet. Eine App wie Google Authenticator, Microsoft Authenticator oder 1Password liefert Ihnen Codes auch ohne Netzverbindung.',
    added: 'Ihre Authenticator-App ist eingerichtet. Ab jetzt können Sie sich mit einem Code aus der App anmelden.',
    removed: 'Ihre Authenticator-App wurde entfernt. Ihre Codes gelten nicht mehr.',
    defaultLabel: 'Authenticator-App',
    refused: {
      expired: 'Diese Einrichtung ist abgelaufen. Beginnen Sie neu, um einen neuen QR-Code zu erhalten.',
      nameTooLong: (max) => `Der Name darf höchstens ${max} Zeichen lang sein.`,
      malformed: 'Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App anzeigt.',
      wrong:
        'Dieser Code hat nicht funktioniert. Prüfen Sie, ob die Uhrzeit Ihres Telefons automatisch eingestellt wird, und geben Sie dann den neuesten Code ein.',
      used: 'Dieser Code wurde bereits verwendet. Warten Sie, bis die App den nächsten anzeigt, und geben Sie diesen ein.',
    },
  },

  setup: {
    steps: [
      'Öffnen Sie Ihre Authenticator-App und wählen Sie, ein Konto hinzuzufügen.',
      'Scannen Sie den QR-Code oder geben Sie den Schlüssel darunter ein.',
      'Geben Sie den 6-stelligen Code ein, den die App dann anzeigt.',
    ],
    qrLabel: 'QR-Code zum Scannen mit Ihrer Authenticator-App',
    keyLabel: 'Scannen nicht möglich? Geben Sie stattdessen diesen Schlüssel ein (zeitbasiert, 6 Ziffern):',
    replaces:
      'Diese App ersetzt die Authenticator-App, die Sie zuvor eingerichtet haben: Deren Codes gelten nicht mehr, sobald diese eingeschaltet ist.',
    nameLabel: 'Name (optional)',
    nameHint: 'Zur Unterscheidung, zum Beispiel „Diensthandy“.',
    submit: 'Einschalten',
    expired: 'Diese Einrichtung ist abgelaufen. Beginnen Sie neu, um einen neuen QR-Code zu erhalten.',
  },
};
