import { atLeastOne, plurals } from './counting';
import type { Strings } from './strings';

const { count, pick } = plurals('es');

/**
 * Los textos de la biblioteca en español, tratando de usted. Términos: «verificación en dos pasos»
 * (two-step verification), «código de verificación», «código de recuperación», «navegador de
 * confianza», «sesión», «iniciar sesión»/«cerrar sesión». Los SMS solo con caracteres del alfabeto
 * GSM-7: é y ñ están en él, pero á, í, ó y ú no (el SMS pasaría a UCS-2 y a 70 caracteres por
 * segmento), así que su texto evita esas letras.
 */
export const es: Strings = {
  intlLocale: 'es-ES',
  voiceLanguage: 'es-ES',

  // ---- Página de verificación ----
  verifyTitle: 'Confirme que es usted',
  codeLabel: 'Introduzca el código de 6 dígitos',
  trustLabel: (days) => `Confiar en este navegador durante ${count(days, { one: 'día', other: 'días' })}`,
  trustHint: 'Durante ese tiempo no se le pedirá un código aquí. Deje la casilla sin marcar en un ordenador compartido o público.',
  verifyButton: 'Verificar',
  resendHeading: '¿No ha recibido el código?',
  resendButton: 'Enviar un código nuevo',
  otherMethodsHeading: 'Usar otra forma',
  signOutButton: 'Cancelar y cerrar sesión',
  notYouPrompt: '¿No es usted?',
  notYouButton: 'Cerrar sesión',
  lockedHint: 'Podrá volver a introducir un código cuando termine el bloqueo.',

  noticePrefix: { error: 'Error:', info: 'Aviso:' },

  // ---- Avisos de la página de verificación ----
  attemptsLeft: (n) =>
    n <= 0 ? 'No le quedan intentos para este código.' : `Le ${pick(n, { one: 'queda {n} intento', other: 'quedan {n} intentos' })}.`,
  wrongCode: (attemptsLeft) => `Ese código no es correcto. ${es.attemptsLeft(attemptsLeft)}`,
  wrongAnswer: 'No ha funcionado. Compruébelo e inténtelo de nuevo.',
  codeExpired: 'Ese código ha caducado. Pida uno nuevo más abajo.',
  tooManyAttempts: 'Ese código se ha introducido mal demasiadas veces. Pida uno nuevo más abajo.',
  lockedFor: (minutes) =>
    `Demasiados intentos fallidos. Inténtelo de nuevo dentro de ${count(atLeastOne(minutes), { one: 'minuto', other: 'minutos' })}.`,
  resendIn: (seconds) => `Espere ${count(atLeastOne(seconds), { one: 'segundo', other: 'segundos' })} antes de pedir otro código.`,
  tooManyCodes: (minutes) =>
    `Se le han enviado demasiados códigos últimamente. Podrá pedir uno nuevo dentro de ${count(atLeastOne(minutes), { one: 'minuto', other: 'minutos' })}.`,
  lockedOut:
    'Se han introducido demasiados códigos incorrectos, así que los códigos están desactivados para su cuenta. Inicie sesión con un código de recuperación o pida a su administrador que desbloquee su cuenta.',
  proofIntro: (maskedEmail) =>
    `Antes de añadir un número de teléfono, confirme que es usted: hemos enviado un código de 6 dígitos a ${maskedEmail}.`,
  codeFormat: 'El código tiene 6 dígitos. Compruébelo e inténtelo de nuevo.',
  sendFailed: 'No hemos podido enviar un código en este momento. Pruebe otra forma o vuelva a intentarlo dentro de unos minutos.',
  sendFailedNoOtherWay:
    'No hemos podido llegar a su teléfono en este momento. Vuelva a intentarlo dentro de unos minutos o use un código de recuperación.',
  noActiveCode: 'No hay ningún código pendiente de introducir. Pida uno nuevo más abajo.',

  // ---- Páginas de mensaje (4xx / 503) ----
  unavailableTitle: 'La verificación no está disponible',
  unavailable: 'No podemos verificar códigos en este momento. Vuelva a intentarlo dentro de unos minutos.',
  sessionExpiredTitle: 'Su inicio de sesión ha caducado',
  sessionExpired: 'Su inicio de sesión ha tardado demasiado y ha caducado. Vuelva a iniciar sesión.',
  signInAgain: 'Volver a iniciar sesión',
  formExpiredTitle: 'Este formulario ha caducado',
  formExpired: 'Este formulario ha caducado. Vuelva a cargar la página e inténtelo de nuevo.',
  backToVerify: 'Volver a la página de verificación',
  notFoundTitle: 'Página no encontrada',
  notFound: 'No hay nada en esta dirección.',
  tooLargeTitle: 'Solicitud demasiado grande',
  tooLarge: 'Esa solicitud era demasiado grande. Vuelva atrás e inténtelo de nuevo.',
  crossSiteTitle: 'Solicitud rechazada',
  crossSite: 'Este formulario se envió desde otro sitio, así que no se ha cambiado nada. Vuelva a la página e inténtelo de nuevo.',
  badAddressTitle: 'Dirección incorrecta',
  badAddress: 'Esa dirección está mal formada. Compruébela e inténtelo de nuevo.',
  badFormTitle: 'No se ha podido usar este formulario',
  badForm: 'No se ha podido leer el formulario. Vuelva a cargar la página e inténtelo de nuevo.',
  signInFailedTitle: 'No hemos podido iniciar su sesión',
  signInFailed:
    'Su contraseña era correcta, pero ahora no se puede iniciar sesión en esta cuenta, así que no se ha cambiado nada. Vuelva a intentarlo más tarde o póngase en contacto con el soporte si sigue ocurriendo.',

  // ---- Códigos por correo electrónico, SMS y llamada ----
  codeSubject: (code, siteName) => `${code} es su código de verificación de ${siteName}`,
  codeIntro: (siteName, purpose) =>
    ({
      'enroll-phone': `Use este código para confirmar su número de teléfono en ${siteName}:`,
      reauth: `Use este código para confirmar que es usted antes de cambiar su configuración de seguridad en ${siteName}:`,
      'sign-in': `Use este código para terminar de iniciar sesión en ${siteName}:`,
    })[purpose],
  codeExpires: (minutes) => `Este código caduca dentro de ${count(minutes, { one: 'minuto', other: 'minutos' })}.`,
  notYou: (purpose) =>
    `${purpose === 'sign-in' ? 'Si no ha intentado iniciar sesión' : 'Si no ha pedido este código'}, puede que alguien conozca su contraseña: cámbiela ahora y no comparta este código con nadie.`,
  // GSM-7 only: no á, í, ó or ú (not in its alphabet), so "clave" and "caduca", not "código".
  codeSms: (code, siteName, minutes) =>
    `${code} es su clave de seguridad de ${siteName}. Caduca en ${count(minutes, { one: 'minuto', other: 'minutos' })}. No la comparta con nadie.`,
  codeSpeech: (siteName, spokenDigits) => `Su código de verificación de ${siteName} es: ${spokenDigits}. Repito: ${spokenDigits}.`,
  codeSpeechExpires: (minutes) => `Caduca dentro de ${count(minutes, { one: 'minuto', other: 'minutos' })}. Adiós.`,

  // ---- Páginas de código fuera del inicio de sesión (teléfono, nueva verificación) ----
  endOthersLabel: 'Cerrar también mis otras sesiones',
  enrolTitle: 'Confirme su número de teléfono',
  confirmNumber: 'Introdúzcalo para confirmar el número.',
  useDifferentNumber: 'Usar otro número',
  adminPhoneFixed: 'Su administrador ha establecido este número. Introduzca el código que se le ha enviado o pídale que lo cambie.',
  cancel: 'Cancelar',

  // ---- Introducir el teléfono ----
  phoneAddHeading: 'Añada su número de teléfono',
  phoneChangeHeading: 'Cambie su número de teléfono',
  phoneSignInIntro: 'Su cuenta necesita un número de teléfono para los códigos de verificación. Le enviaremos un código para confirmarlo.',
  phoneAddIntro: 'Enviaremos un código al número para confirmarlo.',
  phoneChangeIntro:
    'Enviaremos un código al número nuevo para confirmarlo. Hasta entonces, sus códigos seguirán llegando a su número actual.',
  phoneLabel: 'Número de teléfono',
  phoneHint: 'Incluya el prefijo del país, p. ej., +34 612 345 678',
  phoneMethodLegend: '¿Cómo le enviamos el código?',
  sendCodeButton: 'Enviar código',
  phoneInvalid: 'Eso no parece un número de teléfono. Incluya el prefijo del país, p. ej., +34 612 345 678.',
  phoneNotPossible: 'Ese número tiene demasiados o muy pocos dígitos para su país. Compruébelo e incluya el prefijo del país.',
  phoneCountryNotAllowed: 'No podemos enviar códigos a números de ese país.',
  phoneNotMobileOrFixed:
    'Ese número no puede recibir códigos de verificación (no se admiten números de tarificación especial, gratuitos ni similares).',
  phoneNoCountry: 'No podemos enviar códigos a teléfonos por satélite ni a números de redes internacionales. Use un número de su país.',
  phoneCantReceive: (method) =>
    method === 'sms' ? 'Ese número no puede recibir mensajes de texto.' : 'Ese número no puede recibir llamadas.',
  phoneSendLimited: 'Se han enviado demasiados códigos a ese número o desde su red. Vuelva a intentarlo más tarde.',
  phoneChanged: 'Su número de teléfono se ha cambiado.',
  methodNeedsPhone: 'Añada un número de teléfono antes de elegir mensajes de texto o llamadas.',
  emailCodesOffButton: 'No enviar códigos por correo electrónico',
  emailCodesOnButton: 'Volver a enviar códigos por correo electrónico',
  emailCodesOffHint: 'Sus códigos solo llegan a su teléfono. Si no puede recibirlos, inicie sesión con un código de recuperación.',
  emailCodesSwitched: (allowed) =>
    allowed
      ? 'Los códigos se pueden volver a enviar por correo electrónico.'
      : 'Los códigos ya no se enviarán por correo electrónico, solo a su teléfono.',
  emailCodesSwitchedText: (siteName, allowed) =>
    allowed
      ? `Sus códigos de verificación de ${siteName} se pueden volver a enviar por correo electrónico.`
      : `Sus códigos de verificación de ${siteName} ya no se enviarán por correo electrónico, solo a su teléfono.`,

  // ---- Configuración ----
  settingsTitle: 'Verificación en dos pasos',
  statusEnforced: 'Su organización exige la verificación en dos pasos.',
  statusOn: 'La verificación en dos pasos está activada para su cuenta.',
  statusOff: 'La verificación en dos pasos está desactivada para su cuenta.',
  enableLegend: 'Actívela: le enviaremos un código para confirmar la forma que elija.',
  enableButton: 'Activar la verificación en dos pasos',
  disableButton: 'Desactivar la verificación en dos pasos',
  switchedOn:
    'La verificación en dos pasos está activada. Recibirá un código cuando inicie sesión en un navegador que no sea de confianza.',
  switchedOff: 'La verificación en dos pasos está desactivada.',
  cannotSwitchOff: 'Su organización exige la verificación en dos pasos, así que no se puede desactivar.',
  methodHeading: 'Cómo confirma que es usted',
  saveButton: 'Guardar',
  phoneHeading: 'Número de teléfono',
  phoneNone: 'Ninguno',
  addPhoneButton: 'Añadir un número de teléfono',
  changePhoneButton: 'Cambiar el número de teléfono',
  sessionsHeading: 'Dónde tiene la sesión iniciada',
  sessionColumns: { signedIn: 'Inicio de sesión', lastActive: 'Última actividad', place: 'Ubicación' },
  thisSession: 'Esta sesión',
  signOutSessionButton: 'Cerrar sesión',
  signOutOthersButton: 'Cerrar todas las demás sesiones',
  sessionEnded: 'Esa sesión está cerrada.',
  sessionsEnded: (n) =>
    n <= 0
      ? 'No había otras sesiones que cerrar.'
      : `${pick(n, { one: 'Se ha cerrado {n} sesión más', other: 'Se han cerrado {n} sesiones más' })}.`,
  credentialColumns: { added: 'Añadida', lastUsed: 'Último uso' },
  removeButton: 'Quitar',
  credentialNotFound: 'Eso ya se había quitado.',
  devicesHeading: 'Navegadores de confianza',
  devicesIntro: 'Estos navegadores no piden un código al iniciar sesión hasta que caduque la confianza o usted la retire.',
  devicesEmpty: 'No tiene ningún navegador de confianza. Marque «Confiar en este navegador» al introducir un código para añadir uno.',
  unknownBrowser: 'Navegador desconocido',
  thisBrowser: 'Este navegador',
  thisBrowserInText: 'este navegador',
  deviceColumns: { trusted: 'De confianza desde', lastUsed: 'Último uso', place: 'Ubicación', expires: 'Caduca' },
  revokeButton: 'Retirar la confianza',
  revokeAllButton: 'Retirar la confianza a todos',
  deviceRevoked: 'Ese navegador ya no es de confianza.',
  devicesRevoked: (n) =>
    n <= 0
      ? 'No había navegadores de confianza a los que retirar la confianza.'
      : `${pick(n, { one: '{n} navegador ya no es', other: '{n} navegadores ya no son' })} de confianza.`,
  deviceNotFound: 'A ese navegador ya se le había retirado la confianza o ha caducado.',
  revokeCurrentHint: 'Si retira la confianza a este navegador, se le pedirá un código la próxima vez que inicie sesión aquí.',
  recoveryHeading: 'Códigos de recuperación',
  recoveryIntro:
    'Si no puede recibir un código, por ejemplo porque ha perdido el teléfono, puede iniciar sesión con un código de recuperación.',
  recoveryLeft: (n) =>
    n <= 0
      ? 'No tiene códigos de recuperación sin usar.'
      : `Tiene ${count(n, { one: 'código de recuperación sin usar', other: 'códigos de recuperación sin usar' })}.`,
  recoveryRegenerateWarning: 'Si genera códigos nuevos, todos sus códigos anteriores dejarán de servir.',
  recoveryGenerateButton: 'Generar códigos de recuperación nuevos',
  back: 'Volver',
  unknownDate: 'desconocida',
  clientsHeading: 'Aplicaciones que no pueden pedir un código',
  clientsIntro:
    'Las unidades de red, las aplicaciones de sincronización de escritorio y los tokens de API acceden a su cuenta sin código de verificación.',
  clientsAllowed: 'Pueden acceder a su cuenta.',
  clientsBlocked: 'Están bloqueadas: solo un navegador que haya superado la verificación en dos pasos puede acceder a su cuenta.',
  clientsBlockedByAccount: 'Su organización las bloquea para todos los usuarios.',
  blockClientsButton: 'Bloquear estas aplicaciones',
  allowClientsButton: 'Volver a permitir estas aplicaciones',
  allowClientsHint: 'Primero le enviaremos un código para confirmar que es usted.',
  clientsSwitched: (blocked) =>
    blocked
      ? 'Las aplicaciones que no pueden pedir un código están bloqueadas ahora.'
      : 'Las aplicaciones que no pueden pedir un código vuelven a tener acceso a su cuenta.',

  // ---- Clientes bloqueados ----
  clientBlockedTitle: 'Esta aplicación está bloqueada',
  clientBlockedByUser:
    'Esta aplicación no puede acceder a su cuenta: usted ha bloqueado las aplicaciones que no pueden pedir un código de verificación (unidades de red, sincronización de escritorio, tokens de API). Use el sitio web o vuelva a permitir estas aplicaciones en su configuración de seguridad.',
  clientBlockedByAccount:
    'Esta aplicación no puede acceder a su cuenta: su organización bloquea las aplicaciones que no pueden pedir un código de verificación (unidades de red, sincronización de escritorio, tokens de API). Use el sitio web.',
  openSettings: 'Abrir la configuración de seguridad',

  // ---- Códigos de recuperación ----
  recoverySummary: 'Usar un código de recuperación',
  recoveryLabel: 'Código de recuperación',
  recoveryHint: 'Cada código de recuperación sirve una sola vez.',
  recoveryButton: 'Usar el código de recuperación',
  recoveryInvalid: 'Ese código de recuperación no es válido.',
  recoveryUsed: (remaining) =>
    remaining <= 0
      ? 'Ha iniciado sesión con un código de recuperación. No le quedan códigos de recuperación; genere otros nuevos en la configuración.'
      : `Ha iniciado sesión con un código de recuperación. Le ${pick(remaining, { one: 'queda {n}', other: 'quedan {n}' })}; genere otros nuevos en la configuración.`,
  recoveryCodesTitle: 'Sus códigos de recuperación',
  recoveryCodesIntro: 'Guárdelos en un lugar seguro. Cada código sirve una vez. No se volverán a mostrar.',
  recoveryCodesHint:
    'Guárdelos en un gestor de contraseñas o imprima esta página. Los códigos de recuperación que tuviera antes ya no sirven.',
  recoveryCodesListLabel: 'Códigos de recuperación',
  done: 'Hecho',

  // ---- Correos de seguridad ----
  noticeWhen: 'Cuándo',
  noticeBrowser: 'Navegador',
  noticePlace: 'Ubicación',
  newSignInSubject: (siteName) => `Nuevo inicio de sesión en su cuenta de ${siteName}`,
  newSignInText: (siteName) =>
    `Se ha iniciado sesión en su cuenta de ${siteName} desde un navegador que no era de confianza. Su configuración de seguridad muestra dónde tiene la sesión iniciada; cierre allí cualquier sesión que no reconozca.`,
  notYouNotice: 'Si no ha sido usted, cambie su contraseña y póngase en contacto con su administrador.',
  deviceTrustedSubject: (siteName) => `Un navegador nuevo es de confianza en su cuenta de ${siteName}`,
  deviceTrustedText: (siteName) =>
    `Un navegador es ahora de confianza para su cuenta de ${siteName}. No se le pedirá un código de verificación hasta que caduque la confianza.`,
  phoneChangedSubject: (siteName) => `Se ha cambiado su número de teléfono de ${siteName}`,
  phoneChangedText: (siteName, maskedPhone) =>
    maskedPhone === null
      ? `Se ha quitado de su cuenta de ${siteName} el número de teléfono para los códigos de verificación.`
      : `El número de teléfono para los códigos de verificación de su cuenta de ${siteName} se ha cambiado a ${maskedPhone}.`,
  phoneSetByAdminText: (siteName, maskedPhone) =>
    `Un administrador ha establecido ${maskedPhone} como número de teléfono para sus códigos de verificación de ${siteName}. Su próximo inicio de sesión enviará un código a ese número; al introducirlo, confirmará el número.`,
  methodChangedSubject: (siteName) => `Ha cambiado la forma en que recibe sus códigos de verificación de ${siteName}`,
  credentialAddedSubject: (siteName) => `Se ha añadido una nueva forma de iniciar sesión a su cuenta de ${siteName}`,
  credentialAddedText: (siteName, method) => `Se ha configurado una nueva forma de iniciar sesión en su cuenta de ${siteName}: ${method}.`,
  credentialRemovedSubject: (siteName) => `Se ha quitado una forma de iniciar sesión de su cuenta de ${siteName}`,
  credentialRemovedText: (siteName, method) => `Se ha quitado una de las formas en que inicia sesión en ${siteName}: ${method}.`,
  noticeName: 'Nombre',
  failedCodesSubject: (siteName) => `Intentos fallidos de inicio de sesión en su cuenta de ${siteName}`,
  failedCodesText: (siteName, failures) =>
    `Alguien ha introducido un código de verificación incorrecto ${count(failures, { one: 'vez', other: 'veces' })} al iniciar sesión en su cuenta de ${siteName}. Quien lo intentó ya había introducido su contraseña.`,
  recoveryUsedSubject: (siteName) => `Se ha usado un código de recuperación en su cuenta de ${siteName}`,
  recoveryUsedText: (siteName, remaining) =>
    `Se ha usado un código de recuperación para iniciar sesión en su cuenta de ${siteName}. ${remaining <= 0 ? 'No le quedan códigos de recuperación.' : `Le ${pick(remaining, { one: 'queda {n} código de recuperación', other: 'quedan {n} códigos de recuperación' })}.`}`,

  twoFactorSwitchedSubject: (siteName, enabled) =>
    `Se ha ${enabled ? 'activado' : 'desactivado'} la verificación en dos pasos de su cuenta de ${siteName}`,
  twoFactorSwitchedText: (siteName, enabled) =>
    enabled
      ? `La verificación en dos pasos está ahora activada en su cuenta de ${siteName}: para iniciar sesión en un navegador nuevo hace falta un código.`
      : `La verificación en dos pasos está ahora desactivada en su cuenta de ${siteName}: su contraseña basta para iniciar sesión.`,
  clientsSwitchedSubject: (siteName, blocked) =>
    blocked
      ? `Las aplicaciones sin códigos de verificación están bloqueadas en su cuenta de ${siteName}`
      : `Las aplicaciones sin códigos de verificación vuelven a tener acceso a su cuenta de ${siteName}`,
  clientsSwitchedText: (siteName, blocked) =>
    blocked
      ? `Las unidades de red, las aplicaciones de sincronización de escritorio y los tokens de API ya no pueden acceder a su cuenta de ${siteName}: solo puede hacerlo un navegador que haya superado la verificación en dos pasos.`
      : `Las unidades de red, las aplicaciones de sincronización de escritorio y los tokens de API vuelven a tener acceso a su cuenta de ${siteName}, sin código de verificación.`,
  recoveryGeneratedSubject: (siteName) => `Se han generado códigos de recuperación nuevos para su cuenta de ${siteName}`,
  recoveryGeneratedText: (siteName) =>
    `Se ha generado un conjunto nuevo de códigos de recuperación para su cuenta de ${siteName}. Los códigos que tenía antes ya no sirven.`,
  lockedOutSubject: (siteName) => `Los códigos de verificación están desactivados para su cuenta de ${siteName}`,
  lockedOutText: (siteName) =>
    `Se han introducido códigos de verificación incorrectos 100 veces seguidas al iniciar sesión en su cuenta de ${siteName}, así que los códigos están desactivados. Quien lo intentó ya había introducido su contraseña: cámbiela. Para iniciar sesión, use un código de recuperación o pida a su administrador que desbloquee su cuenta.`,

  // ---- Buzón de salida de desarrollo ----
  outboxTitle: 'Buzón de salida de desarrollo',
  outboxBanner: 'Buzón de salida de desarrollo: nunca activo en producción',
  outboxIntro: 'Códigos que la biblioteca habría enviado, los más recientes primero. Vuelva a cargar la página para ver los nuevos.',
  outboxEmpty: 'Todavía no se ha enviado ningún código.',
  sessionWarning: {
    heading: 'Su sesión está a punto de terminar',
    endsInMinutes: { one: 'Su sesión termina dentro de {n} minuto.', other: 'Su sesión termina dentro de {n} minutos.' },
    endsInSeconds: { one: 'Su sesión termina dentro de {n} segundo.', other: 'Su sesión termina dentro de {n} segundos.' },
    stay: 'Seguir con la sesión iniciada',
    signOut: 'Cerrar sesión ahora',
  },
  outboxColumns: { at: 'Enviado', method: 'Forma', to: 'Para', purpose: 'Propósito', code: 'Código' },

  codeExpiresAt: (time: string): string => `El código caduca a las ${time}.`,
  codeExpiredAt: (time: string): string => `El código caducó a las ${time}.`,
  newCodeAt: (time: string): string => `Puede pedir un código nuevo a partir de las ${time}.`,
  recoveryCodesActionsLabel: 'Guarde sus códigos de recuperación',
  recoveryCodesDownload: 'Descargar (.txt)',
  recoveryCodesCopy: 'Copiar',
  recoveryCodesPrint: 'Imprimir',
  recoveryCodesCopied: 'Los códigos se han copiado en su portapapeles.',
  recoveryCodesCopyFailed: 'No se han podido copiar los códigos. Selecciónelos y cópielos usted mismo, o descárguelos.',
};
