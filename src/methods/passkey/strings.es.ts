import type { PasskeyWords } from './strings';

/** Las palabras del método de llaves de acceso. */
export const es: PasskeyWords = {
  label: 'Llave de acceso',
  name: 'llave de acceso',
  heading: 'Use su llave de acceso',
  intro: () =>
    'Use una llave de acceso que haya guardado para este sitio: en este dispositivo, en su teléfono o en una llave de seguridad.',
  reauthIntro: () => 'Primero, confirme con su llave de acceso que es usted.',
  switchTo: 'Usar una llave de acceso',
  chosen: 'A partir de ahora, le pediremos su llave de acceso.',
  unavailable: 'Primero añada una llave de acceso',
  malformed: 'Su navegador no ha enviado una respuesta de llave de acceso que podamos leer. Inténtelo de nuevo o use otra forma.',

  enrolment: {
    heading: 'Llaves de acceso',
    add: 'Añadir una llave de acceso',
    none: 'Todavía no tiene llaves de acceso.',
    added: 'Llave de acceso añadida. Puede usarla la próxima vez que inicie sesión.',
    removed: 'Llave de acceso quitada.',
    defaultLabel: 'Llave de acceso',
    refused: {
      malformed: 'Su navegador no ha enviado ninguna llave de acceso. Use el botón para crear una.',
      notAccepted: 'No se ha podido añadir esa llave de acceso. Inténtelo de nuevo.',
      expired: 'Esta página ha caducado. Empiece de nuevo para añadir una llave de acceso.',
      alreadyAdded: 'Esa llave de acceso ya está en su cuenta.',
      tooMany: (max) => `Tiene ${max} llaves de acceso, el máximo permitido. Quite una antes de añadir otra.`,
      labelTooLong: (max) => `Use un nombre de ${max} caracteres como máximo.`,
    },
  },

  useButton: 'Usar una llave de acceso',
  locked: 'Podrá volver a usar su llave de acceso cuando termine el bloqueo.',

  enrolIntro:
    'Su navegador le preguntará dónde guardar la llave de acceso: en este dispositivo, en su teléfono o en una llave de seguridad.',
  labelField: 'Nombre de esta llave de acceso',
  labelHint: 'Para distinguir sus llaves de acceso, p. ej., «Portátil del trabajo».',
  createButton: 'Crear llave de acceso',

  script: {
    cancelled: 'La solicitud de la llave de acceso se ha cancelado o ha caducado. Inténtelo de nuevo o elija otra forma.',
    alreadyRegistered: 'Este dispositivo ya tiene una llave de acceso para su cuenta: úsela o elija otro dispositivo.',
    failed: 'Su navegador no ha podido usar una llave de acceso aquí. Inténtelo de nuevo o elija otra forma.',
    working: 'Esperando su llave de acceso…',
    unsupported: 'Este navegador no puede usar llaves de acceso. Elija otra forma a continuación.',
  },
  noScript: 'Las llaves de acceso necesitan JavaScript y un navegador compatible. Elija otra forma a continuación.',
};
