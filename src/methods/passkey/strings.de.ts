import type { PasskeyWords } from './strings';

/** Die Wörter der Passkey-Methode. */
export const de: PasskeyWords = {
  label: 'Passkey',
  name: 'Passkey',
  heading: 'Verwenden Sie Ihren Passkey',
  intro: () =>
    'Verwenden Sie einen Passkey, den Sie für diese Website gespeichert haben: auf diesem Gerät, Ihrem Telefon oder einem Sicherheitsschlüssel.',
  reauthIntro: () => 'Bestätigen Sie zuerst mit Ihrem Passkey, dass Sie es sind.',
  switchTo: 'Passkey verwenden',
  chosen: 'Ab jetzt fragen wir nach Ihrem Passkey.',
  unavailable: 'Fügen Sie zuerst einen Passkey hinzu',
  malformed: 'Ihr Browser hat keine lesbare Passkey-Antwort gesendet. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',

  enrolment: {
    heading: 'Passkeys',
    add: 'Passkey hinzufügen',
    none: 'Sie haben noch keine Passkeys.',
    added: 'Passkey hinzugefügt. Sie können ihn bei Ihrer nächsten Anmeldung verwenden.',
    removed: 'Passkey entfernt.',
    defaultLabel: 'Passkey',
    refused: {
      malformed: 'Ihr Browser hat keinen Passkey gesendet. Erstellen Sie einen mit der Schaltfläche.',
      notAccepted: 'Dieser Passkey konnte nicht hinzugefügt werden. Versuchen Sie es erneut.',
      expired: 'Diese Seite ist abgelaufen. Beginnen Sie neu, um einen Passkey hinzuzufügen.',
      alreadyAdded: 'Dieser Passkey gehört bereits zu Ihrem Konto.',
      tooMany: (max) => `Sie haben ${max} Passkeys, mehr sind nicht möglich. Entfernen Sie einen, bevor Sie einen weiteren hinzufügen.`,
      labelTooLong: (max) => `Der Name darf höchstens ${max} Zeichen lang sein.`,
    },
  },

  useButton: 'Passkey verwenden',
  locked: 'Sie können Ihren Passkey wieder verwenden, sobald die Sperre endet.',

  enrolIntro: 'Ihr Browser fragt, wo der Passkey gespeichert werden soll: auf diesem Gerät, Ihrem Telefon oder einem Sicherheitsschlüssel.',
  labelField: 'Name dieses Passkeys',
  labelHint: 'Damit Sie Ihre Passkeys unterscheiden können, z. B. „Dienst-Laptop“.',
  createButton: 'Passkey erstellen',

  script: {
    cancelled: 'Die Passkey-Anfrage wurde abgebrochen oder ist abgelaufen. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',
    alreadyRegistered: 'Dieses Gerät hat bereits einen Passkey für Ihr Konto: Verwenden Sie ihn oder wählen Sie ein anderes Gerät.',
    failed: 'Ihr Browser konnte hier keinen Passkey verwenden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',
    working: 'Warten auf Ihren Passkey …',
    unsupported: 'Dieser Browser kann keine Passkeys verwenden. Wählen Sie unten einen anderen Weg.',
  },
  noScript: 'Passkeys brauchen JavaScript und einen Browser, der sie unterstützt. Wählen Sie unten einen anderen Weg.',
};
