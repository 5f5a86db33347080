import type { ChannelStrings } from './strings';

/** Las palabras de un código por correo electrónico, SMS o llamada. */
export const es: ChannelStrings = {
  email: {
    label: 'Correo electrónico',
    name: 'correo electrónico',
    heading: 'Revise su correo electrónico',
    intro: (to) => `Hemos enviado un código de 6 dígitos a ${to}.`,
    reauthIntro: (to) => `Primero, confirme que es usted: hemos enviado un código a ${to}.`,
    switchTo: 'Enviarme un código por correo',
    chosen: 'A partir de ahora, le enviaremos los códigos por correo electrónico.',
    unavailable: 'Desactivado: sus códigos solo llegan a su teléfono',
    newCodeSent: 'Hemos enviado un código nuevo. Puede tardar un minuto en llegar. Solo sirve el código más reciente.',
  },
  sms: {
    label: 'Mensaje de texto',
    name: 'mensaje de texto',
    heading: 'Revise su teléfono',
    intro: (to) => `Hemos enviado un código de 6 dígitos por SMS al ${to}.`,
    reauthIntro: (to) => `Primero, confirme que es usted: hemos enviado un código por SMS al ${to}.`,
    switchTo: 'Enviarme un código por SMS',
    chosen: 'A partir de ahora, le enviaremos los códigos por SMS.',
    unavailable: 'Primero añada un número de teléfono',
    newCodeSent: 'Hemos enviado un código nuevo. Puede tardar un minuto en llegar. Solo sirve el código más reciente.',
  },
  voice: {
    label: 'Llamada',
    name: 'llamada',
    heading: 'Conteste el teléfono',
    intro: (to) => `Estamos llamando al ${to} para leerle un código de 6 dígitos.`,
    reauthIntro: (to) => `Primero, confirme que es usted: estamos llamando al ${to} para leerle un código.`,
    switchTo: 'Llamarme con un código',
    chosen: 'A partir de ahora, le llamaremos para darle sus códigos.',
    unavailable: 'Primero añada un número de teléfono',
    newCodeSent: 'Le estamos llamando con un código nuevo. Solo sirve el código más reciente.',
  },
};
