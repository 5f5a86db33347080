/**
 * The words of a code from an authenticator app, in English: the table the others are held to.
 * `intro`'s `entry` is the name the app lists the code under: the site's name (the issuer in the QR code).
 */
export const en = {
  label: 'Authenticator app',
  name: 'authenticator app',
  heading: 'Open your authenticator app',
  intro: (entry: string) => `Enter the 6-digit code your authenticator app shows for ${entry}.`,
  reauthIntro: (entry: string) => `First, confirm it’s you: enter the 6-digit code your authenticator app shows for ${entry}.`,
  switchTo: 'Use my authenticator app',
  chosen: 'From now on, we’ll ask for a code from your authenticator app.',
  unavailable: 'Set up an authenticator app first.',

  /** The settings page's section, and why a set-up was refused. */
  enrolment: {
    heading: 'Authenticator app',
    add: 'Set up an authenticator app',
    none: 'No authenticator app is set up. An app such as Google Authenticator, Microsoft Authenticator or 1Password can give you codes without a network connection.',
    added: 'Your authenticator app is set up. From now on you can sign in with a code from it.',
    removed: 'Your authenticator app was removed. Its codes no longer work.',
    defaultLabel: 'Authenticator app',
    refused: {
      expired: 'This set-up has expired. Start again to get a new QR code.',
      nameTooLong: (max: number) => `Use at most ${max} characters for the name.`,
      malformed: 'Enter the 6-digit code your authenticator app shows.',
      wrong: 'That code didn’t work. Check that the time on your phone is set automatically, then enter the newest code.',
      used: 'That code was already used. Wait for the app to show the next one and enter it.',
    },
  },

  /** The set-up page. */
  setup: {
    steps: [
      'Open your authenticator app and choose to add an account.',
      'Scan the QR code, or type the key below it.',
      'Enter the 6-digit code the app then shows.',
    ],
    qrLabel: 'QR code to scan with your authenticator app',
    keyLabel: 'Can’t scan it? Type this key instead (time-based, 6 digits):',
    replaces: 'This replaces the authenticator app you set up before: its codes stop working once this one is on.',
    nameLabel: 'Name (optional)',
    nameHint: 'To tell it apart, for example “Work phone”.',
    submit: 'Turn on',
    expired: 'This set-up has expired. Start again to get a new QR code.',
  },
};

/** The shape a translation must have. */
export type TotpWords = typeof en;
