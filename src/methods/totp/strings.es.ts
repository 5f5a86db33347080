import type { TotpWords } from './strings';

/** Las palabras de un código de una aplicación de autenticación. */
export const es: TotpWords = {
  label: 'Aplicación de autenticación',
  name: 'aplicación de autenticación',
  heading: 'Abra su aplicación de autenticación',
  intro: (entry) => `Introduzca el código de 6 dígitos que su aplicación de autenticación muestra para ${entry}.`,
  reauthIntro: (entry) =>
    `Primero, confirme que es usted: introduzca el código de 6 dígitos que su aplicación de autenticación muestra para ${entry}.`,
  switchTo: 'Usar mi aplicación de autenticación',
  chosen: 'A partir de ahora, le pediremos un código de su aplicación de autenticación.',
  unavailable: 'Primero configure una aplicación de autenticación.',

  enrolment: {
    heading: 'Aplicación de autenticación',
    add: 'Configurar una aplicación de autenticación',
    none: 'No hay ninguna aplicación de autenticación configurada. Una aplicación como Google Authenticator, Microsoft Authenticator o 1Password le da códigos incluso sin conexión a la red.',
    added: 'Su aplicación de autenticación está configurada. A partir de ahora puede iniciar sesión con un código de ella.',
    removed: 'Se ha quitado su aplicación de autenticación. Sus códigos ya no sirven.',
    defaultLabel: 'Aplicación de autenticación',
    refused: {
      expired: 'Esta configuración ha caducado. Empiece de nuevo para obtener un código QR nuevo.',
      nameTooLong: (max) => `Use como máximo ${max} caracteres para el nombre.`,
      malformed: 'Introduzca el código de 6 dígitos que muestra su aplicación de autenticación.',
      wrong:
        'Ese código no ha funcionado. Compruebe que la hora de su teléfono se ajusta automáticamente y luego introduzca el código más reciente.',
      used: 'Ese código ya se ha usado. Espere a que la aplicación muestre el siguiente e introdúzcalo.',
    },
  },

  setup: {
    steps: [
      'Abra su aplicación de autenticación y elija añadir una cuenta.',
      'Escanee el código QR o escriba la clave que aparece debajo.',
      'Introduzca el código de 6 dígitos que muestre entonces la aplicación.',
    ],
    qrLabel: 'Código QR para escanear con su aplicación de autenticación',
    keyLabel: '¿No puede escanearlo? Escriba esta clave en su lugar (basada en el tiempo, 6 dígitos):',
    replaces: 'Esta sustituye a la aplicación de autenticación que configuró antes: sus códigos dejarán de servir en cuanto active esta.',
    nameLabel: 'Nombre (opcional)',
    nameHint: 'Para distinguirla, por ejemplo «Teléfono del trabajo».',
    submit: 'Activar',
    expired: 'Esta configuración ha caducado. Empiece de nuevo para obtener un código QR nuevo.',
  },
};
