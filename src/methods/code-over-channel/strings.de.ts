import type { ChannelStrings } from './strings';

/** Die Wörter eines Codes per E-Mail, SMS oder Anruf. */
export const de: ChannelStrings = {
  email: {
    label: 'E-Mail',
    name: 'E-Mail',
    heading: 'Prüfen Sie Ihre E-Mails',
    intro: (to) => `Wir haben einen 6-stelligen Code an ${to} gesendet.`,
    reauthIntro: (to) => `Bestätigen Sie zuerst, dass Sie es sind: Wir haben einen Code an ${to} gesendet.`,
    switchTo: 'Code per E-Mail senden',
    chosen: 'Ihre Codes senden wir ab jetzt per E-Mail.',
    unavailable: 'Ausgeschaltet: Ihre Codes gehen nur an Ihr Telefon',
    newCodeSent: 'Wir haben einen neuen Code gesendet. Es kann eine Minute dauern, bis er ankommt. Nur der neueste Code gilt.',
  },
  sms: {
    label: 'SMS',
    name: 'SMS',
    heading: 'Prüfen Sie Ihr Telefon',
    intro: (to) => `Wir haben einen 6-stelligen Code per SMS an ${to} gesendet.`,
    reauthIntro: (to) => `Bestätigen Sie zuerst, dass Sie es sind: Wir haben einen Code per SMS an ${to} gesendet.`,
    switchTo: 'Code per SMS senden',
    chosen: 'Ihre Codes senden wir ab jetzt per SMS.',
    unavailable: 'Fügen Sie zuerst eine Telefonnummer hinzu',
    newCodeSent: 'Wir haben einen neuen Code gesendet. Es kann eine Minute dauern, bis er ankommt. Nur der neueste Code gilt.',
  },
  voice: {
    label: 'Anruf',
    name: 'Anruf',
    heading: 'Nehmen Sie den Anruf an',
    intro: (to) => `Wir rufen ${to} an und lesen Ihnen einen 6-stelligen Code vor.`,
    reauthIntro: (to) => `Bestätigen Sie zuerst, dass Sie es sind: Wir rufen ${to} an und lesen Ihnen einen Code vor.`,
    switchTo: 'Code per Anruf erhalten',
    chosen: 'Ihre Codes erhalten Sie ab jetzt per Anruf.',
    unavailable: 'Fügen Sie zuerst eine Telefonnummer hinzu',
    newCodeSent: 'Wir rufen Sie mit einem neuen Code an. Nur der neueste Code gilt.',
  },
};
