# Textos de wagate para las personas, en español (neutro latinoamericano, con "tú").
# Las claves se agrupan según dónde aparecen. Variables: { $client } el nombre del portal,
# { $phone } un número de teléfono tal como se muestra, { $n }/{ $minutes }/{ $seconds } números.

## Todas las páginas
brand-footer = Inicia sesión con tu teléfono
footer-support = Ayuda
footer-privacy = Privacidad
footer-terms = Condiciones
language-switch = Idioma

## Paso del teléfono
phone-title = Iniciar sesión
phone-heading = Iniciar sesión
phone-lead = para continuar en { $client }
phone-locked = Tu código de autenticación está confirmado. { $client } también necesita un código de WhatsApp para este número.
phone-label = Tu número de teléfono
phone-hint = Incluye el código de país. Te enviaremos un código de un solo uso por WhatsApp.
phone-submit = Enviarme un código por WhatsApp
phone-use-authenticator = Usar mi app de autenticación en su lugar
phone-authenticator-code = Código de tu app de autenticación
phone-authenticator-hint = Seis dígitos de Google Authenticator, Authy, 1Password o una app similar, o uno de tus códigos de recuperación.
phone-authenticator-submit = Iniciar sesión con el código de autenticación

## Paso del código
code-title = Ingresa tu código
code-heading = Ingresa tu código
code-sent-whatsapp = Te enviamos un código de { $length } dígitos por WhatsApp al { $phone }.
code-sent-sms = Te enviamos un código de { $length } dígitos por SMS al { $phone }.
code-not-confirmed = No pudimos confirmar que el código llegara al { $phone }. Pide uno nuevo abajo.
code-delivered = El mensaje se entregó en tu teléfono.
code-read = El mensaje se abrió en tu teléfono.
code-failed = No se pudo entregar el mensaje.
code-on-its-way = El mensaje va en camino.
code-label = Código
code-expires = El código vence en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
code-submit = Iniciar sesión
code-resend-countdown = ¿No te llegó el código? Puedes pedir uno nuevo en
code-resend-refresh = Recarga esta página cuando termine el tiempo.
code-resend = Enviar un código nuevo
code-fallback-wait-sms = ¿No te llegó? En { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
} podrás recibir el mismo código por SMS.
code-fallback-wait-whatsapp = ¿No te llegó? En { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
} podrás recibir el mismo código por WhatsApp.
code-fallback-now = ¿No te llegó?
code-fallback-sms = Enviarlo por SMS
code-fallback-whatsapp = Enviarlo por WhatsApp
code-other-number = Usar otro número
code-other-number-submit = Enviar el código a ese número
code-resent = Te enviamos un código nuevo. El código anterior ya no funciona.
code-fallback-sent-sms = Te enviamos el mismo código por SMS. El código de WhatsApp también funciona.
code-fallback-sent-whatsapp = Te enviamos el mismo código por WhatsApp. El código que recibiste antes también funciona.

## Paso del autenticador
totp-title = Código de autenticación
totp-heading = Un paso más
totp-lead = { $client } pide una segunda verificación: el código de tu app de autenticación.
totp-label = Código de autenticación
totp-hint = Los seis dígitos de tu app. ¿Perdiste el teléfono que tiene la app? Escribe uno de tus códigos de recuperación.
totp-submit = Iniciar sesión

## Elegir una cuenta
choose-title = Elige una cuenta
choose-heading = Elige una cuenta
choose-lead = { $client } pregunta qué cuenta usar.
choose-continue = Continuar como { $phone }
choose-other = Usar otro número
choose-other-hint = Si usas otro número, se cerrará la sesión de { $phone } en este dispositivo.

## Consentimiento
consent-title = Permitir acceso
consent-heading = ¿Dar acceso a { $client }?
consent-lead = Iniciaste sesión como { $phone }. { $client } recibirá:
consent-identifier = un identificador que será el mismo cada vez que inicies sesión ahí
consent-phone = tu número de teléfono y la confirmación de que está verificado
consent-offline = acceso que se mantiene después de cerrar el sitio, hasta que cierres sesión ahí
consent-allow = Permitir
consent-cancel = Cancelar

## Un portal exige app de autenticación
authenticator-required-title = Se necesita una app de autenticación
authenticator-required-lead = { $client } necesita un código de una app de autenticación además del código de WhatsApp, y aún no has configurado ninguna.
authenticator-required-body = Tu código de WhatsApp era correcto y ya iniciaste sesión en tu cuenta aquí. Agrega una app de autenticación (Google Authenticator, Authy, 1Password, Aegis...) en la página de tu cuenta, luego vuelve a { $client } e inicia sesión otra vez.
authenticator-required-setup = Configurar una app de autenticación
authenticator-required-back = Volver a { $client } sin iniciar sesión

## Cerrar sesión
signed-out-title = Sesión cerrada
signed-out-heading = Cerraste sesión
signed-out-lead = Ya puedes cerrar esta página.
logout-title = Cerrar sesión
logout-heading = ¿Cerrar sesión?
logout-asked-by = { $client } pide cerrar tu sesión.
logout-asked = Un sitio pide cerrar tu sesión.
logout-everywhere = Se cerrará tu sesión en todos los sitios que usan este inicio de sesión.
logout-submit = Cerrar sesión
logout-stay = Mantener la sesión abierta

## Páginas de error (título y qué hacer)
problem-stopped = Se detuvo el inicio de sesión
problem-stopped-advice = Ya puedes cerrar esta página.
problem-unavailable = El inicio de sesión no está disponible
problem-unavailable-advice = Vuelve a cargar esta página en un momento.
problem-missing = Falta algo
problem-missing-advice = Vuelve atrás e inténtalo de nuevo.
problem-wrong = Algo salió mal
problem-wrong-advice = Vuelve atrás e inténtalo de nuevo.
problem-not-found = No se encontró la página
problem-not-found-advice = Revisa el enlace o vuelve al sitio de donde viniste.
problem-not-found-message = No hay nada en esta dirección.

## Un campo que la persona dejó vacío
missing-phone = Ingresa tu número de teléfono.
missing-choice = Elige una cuenta.
missing-decision = Elige Permitir o Cancelar.
missing-code = Ingresa el código.
invalid-channel = Elige cómo enviar el código.

## Errores de inicio de sesión (páginas y error_description de la API JSON)
error-flow-expired = Este inicio de sesión venció o ya se usó. Vuelve al sitio y empieza de nuevo.
error-wrong-browser = Este inicio de sesión se empezó en otro navegador. Vuelve al sitio y empieza de nuevo aquí.
error-csrf = Este formulario no se envió desde la página de inicio de sesión. Vuelve a cargar la página e inténtalo de nuevo.
error-wrong-step = Ese paso no es posible ahora.
error-invalid-phone = Eso no parece un número de teléfono. Incluye el código de país, por ejemplo: +1 415 555 0100.
error-country-not-allowed = Los números de este país no pueden iniciar sesión aquí.
error-type-not-allowed = Este tipo de número no puede recibir códigos de inicio de sesión. Usa un número de celular.
error-malformed-code = Escribe el código tal como aparece en el mensaje: solo números.
error-wrong-number = Usa el número que ya confirmaste en este inicio de sesión.
error-phone-required = Ingresa tu número de teléfono junto con el código de tu app de autenticación.
error-authenticators-disabled = Aquí no se puede iniciar sesión con una app de autenticación.
error-authenticator-required = Este sitio también necesita un código de una app de autenticación, y aún no has configurado ninguna.
error-too-many-wrong-codes = Demasiados códigos de autenticación incorrectos para este número. Inicia sesión con un código de WhatsApp o espera una hora.
error-wrong-code-last = Ese código no es correcto y era el último intento. Vuelve al sitio y empieza de nuevo.
error-wrong-code = Ese código no es correcto. Revisa el mensaje e inténtalo de nuevo.
error-tries-left = { $n ->
    [one] Te queda un intento más.
   *[other] Te quedan { $n } intentos más.
}
error-code-expired = Ese código venció. Pide uno nuevo.
error-resend-too-soon = Espera un poco antes de pedir otro código.
error-send-limit = Se enviaron demasiados códigos. Espera un rato antes de volver a intentarlo.
error-challenge-required = El envío de códigos está muy solicitado ahora. Tu navegador hará una breve comprobación y luego enviará el código.
error-challenge-failed = La comprobación no funcionó. Inténtalo de nuevo.
challenge-working = Comprobando tu navegador antes de enviar el código…
challenge-noscript = Para evitar abusos de este servicio, enviar un código ahora requiere una breve comprobación en tu navegador. Activa JavaScript e inténtalo de nuevo, o vuelve más tarde.
challenge-captcha = Completa la comprobación de abajo y vuelve a pulsar el botón.
error-too-many-logins = Hubo demasiados intentos de inicio de sesión desde tu red. Espera un minuto e inténtalo de nuevo.
error-account-blocked = Esta cuenta no puede iniciar sesión. Si crees que es un error, contacta con el servicio al que intentabas entrar.
error-not-deliverable = No podemos enviar mensajes de WhatsApp a este número.
error-rate-limited = El servicio de mensajes está saturado. Espera un momento y vuelve a pedir el código.
error-fallback-unavailable = Este código no se puede enviar por otro medio.
error-unavailable = No pudimos conectar con el servicio de mensajes. Inténtalo de nuevo en un momento.
error-temporarily-unavailable = El inicio de sesión no está disponible ahora. Inténtalo de nuevo en un momento.
error-conflict = Otra solicitud modificó este inicio de sesión al mismo tiempo. Vuelve a cargar la página e inténtalo de nuevo.

## El mensaje que lleva el código (para pasarelas que envían texto)
code-message = { $code } es tu código de verificación. Vence en { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}. No lo compartas.

## La página de tu cuenta
account-title = Tu cuenta
account-heading = Tu cuenta
account-signed-in-as = Iniciaste sesión como { $phone }
account-authenticator = App de autenticación
account-recovery-intro = Tu app de autenticación está activa. Guarda estos códigos de recuperación en un lugar seguro, lejos de tu teléfono. Cada uno sirve una sola vez, en lugar de un código de autenticación. Solo se muestran ahora.
account-active = Tienes una app de autenticación activa: puedes iniciar sesión con su código, y los sitios que piden dos factores te lo pedirán después del código de WhatsApp.
account-recovery-left = { $n ->
    [one] Te queda { $n } código de recuperación.
   *[other] Te quedan { $n } códigos de recuperación.
}
account-remove = Quitar la app de autenticación
account-remove-needs-sign-in = Para quitarla, primero vuelve a iniciar sesión con un código de la app (o un código de recuperación).
account-sign-in-again = Volver a iniciar sesión
account-scan = Escanea este código con tu app de autenticación y luego escribe los seis dígitos que muestra.
account-qr-alt = Código QR para tu app de autenticación
account-manual-key = ¿No puedes escanearlo? Agrega una cuenta a mano con esta clave (basada en el tiempo, 6 dígitos, cada 30 segundos):
account-code-label = Código de la app
account-confirm = Activar la app de autenticación
account-offer = Inicia sesión con un código de una app de autenticación (Google Authenticator, Authy, 1Password, Aegis...) en lugar de esperar el WhatsApp, y protege los sitios que piden dos factores.
account-set-up = Configurar una app de autenticación
account-set-up-needs-sign-in = Para configurar una, primero vuelve a iniciar sesión.
account-sign-out = Cerrar sesión
account-sign-in-lead = Inicia sesión para administrar tu app de autenticación.
account-sign-in-link = Iniciar sesión con tu número de teléfono
account-removed = Se quitó la app de autenticación. De ahora en adelante, inicia sesión con códigos de WhatsApp.
account-advice-back = Vuelve a la página de tu cuenta e inténtalo de nuevo.
account-advice-site = Vuelve al sitio de donde viniste.
account-advice-later = Inténtalo de nuevo en un momento.
account-advice-reload = Vuelve a cargar la página de tu cuenta e inténtalo de nuevo.

## Errores de la cuenta (la página y error_description de la API JSON)
account-error-sign-in-first = Primero inicia sesión.
account-error-stale = Por tu seguridad, vuelve a iniciar sesión antes de cambiar tu app de autenticación.
account-error-authenticator-login = Para quitar tu app de autenticación, vuelve a iniciar sesión con un código de la app (o un código de recuperación).
account-error-already-active = Ya tienes una app de autenticación activa. Quítala primero para usar otra.
account-error-not-active = No tienes ninguna app de autenticación activa.
account-error-no-enrollment = No hay ninguna app de autenticación pendiente de confirmar (quizás venció el tiempo). Empieza de nuevo.
account-error-malformed-code = Escribe los seis dígitos que muestra tu app de autenticación.
account-error-wrong-code = Ese código no es correcto. Revisa la hora de tu teléfono y escribe el código actual.
account-error-conflict = Otra solicitud modificó tu cuenta al mismo tiempo. Vuelve a cargar la página e inténtalo de nuevo.
account-error-unavailable = Tu cuenta no está disponible ahora. Inténtalo de nuevo en un momento.
account-error-disabled = Aquí no se ofrecen apps de autenticación.
account-error-csrf = Este formulario no se envió desde la página de tu cuenta.

## Otras páginas de error
authorize-invalid = Esta solicitud de inicio de sesión no es válida
authorize-invalid-link = Este enlace de inicio de sesión no es válido
authorize-advice = Vuelve al sitio de donde viniste e inténtalo de nuevo.
authorize-advice-report = Vuelve al sitio de donde viniste e inténtalo de nuevo. Si sigue pasando, avisa a los responsables del sitio.
logout-failed = No se pudo cerrar sesión
logout-failed-advice = Vuelve al sitio de donde viniste.
logout-unavailable = No se puede cerrar sesión en este momento. Inténtalo de nuevo en un momento.
body-too-large = La solicitud es demasiado grande.
body-unreadable = No se pudo leer la solicitud.
body-too-slow = La solicitud tardó demasiado en llegar.
body-media-type = Envía application/json o un formulario.
body-not-object = El cuerpo debe ser un objeto JSON.
body-not-form = La solicitud debe ser el envío de un formulario.

## El selector de idioma: el nombre de cada idioma en ese idioma
language-name = Español

## The country of the phone form
country-label = País
country-none = Otro país: escribe el número con + y su código
country-example = Por ejemplo { $example }. Te enviaremos un código de un solo uso por WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = Error:
code-look-for = Busca un mensaje de { $sender } en WhatsApp.
code-open-whatsapp = Abrir WhatsApp

## The ways out of a login that has ended
ways-start-again = Empezar de nuevo
ways-back = Volver a { $client }

## Setting up an authenticator app
account-open-app = Agregarla a una app de autenticación en este teléfono
account-download-codes = Descargar los códigos como archivo de texto
account-codes-kept = Guardé mis códigos de recuperación en un lugar seguro
account-continue = Continuar
error-wrong-app-code = Ese código no es correcto. Escribe el código que muestra ahora tu app de autenticación.

## Somewhere to go after signing out
signed-out-account = Tu cuenta

# The account page: the number, the sessions, deleting the account.
account-number = Número de teléfono
account-number-label = Nuevo número de teléfono
account-number-send = Enviar un código al nuevo número
account-number-code = Escribe el código que enviamos a { $phone } por WhatsApp.
account-number-code-again = Escribe el código que enviamos a tu nuevo número.
account-number-code-label = Código
account-number-confirm = Usar este número
account-number-changed = Tu número ahora es { $phone }.
account-number-needs-sign-in = Para cambiar tu número, primero vuelve a iniciar sesión.
account-sessions = Dónde has iniciado sesión
account-session-current = este navegador
account-end-others = Cerrar sesión en todos los demás sitios
account-ended-others = { $n ->
    [0] No había otra sesión abierta.
    [one] Se cerró otra sesión.
   *[other] Se cerraron { $n } sesiones más.
}
account-delete = Eliminar tu cuenta
account-delete-offer = Esto cierra tu sesión en todas partes y elimina de este servicio tu número, tu aplicación de autenticación y tus sesiones. No se puede deshacer.
account-delete-confirm = Quiero eliminar mi cuenta
account-delete-button = Eliminar mi cuenta
account-delete-needs-sign-in = Para eliminar tu cuenta, primero vuelve a iniciar sesión.
account-deleted-title = Tu cuenta está eliminada
account-deleted-lead = Tu número y todo lo que se guardaba con él aquí han desaparecido. Si vuelves a iniciar sesión, empezarás de nuevo como otra persona.
account-error-stale-change = Por tu seguridad, vuelve a iniciar sesión antes de cambiar tu número o eliminar tu cuenta.
account-error-not-confirmed = Marca la casilla para confirmar que quieres eliminar tu cuenta.
account-error-phone-taken = Este número ya pertenece a otra cuenta.
