# wagate's words for people, in French (vous). Follows locales/en/wagate.ftl key for key.
# Keys are grouped by where they appear. Variables: { $client } the portal's name,
# { $phone } a phone number as shown, { $n }/{ $minutes }/{ $seconds } numbers.

## Every page
brand-footer = Connexion avec votre téléphone
footer-support = Aide
footer-privacy = Confidentialité
footer-terms = Conditions
language-switch = Langue

## Phone step
phone-title = Connexion
phone-heading = Connexion
phone-lead = pour continuer vers { $client }
phone-locked = Votre code d'authentification est confirmé. { $client } demande aussi un code WhatsApp pour ce numéro.
phone-label = Votre numéro de téléphone
phone-hint = Indiquez l'indicatif de votre pays. Nous vous enverrons un code à usage unique sur WhatsApp.
phone-submit = M'envoyer un code WhatsApp
phone-use-authenticator = Utiliser plutôt mon application d'authentification
phone-authenticator-code = Code de votre application d'authentification
phone-authenticator-hint = Les six chiffres affichés par Google Authenticator, Authy, 1Password ou une application similaire, ou l'un de vos codes de récupération.
phone-authenticator-submit = Se connecter avec le code d'authentification

## Code step
code-title = Saisissez votre code
code-heading = Saisissez votre code
code-sent-whatsapp = Nous avons envoyé un code à { $length } chiffres sur WhatsApp au { $phone }.
code-sent-sms = Nous avons envoyé un code à { $length } chiffres par SMS au { $phone }.
code-not-confirmed = Nous n'avons pas pu confirmer qu'un code est bien arrivé au { $phone }. Demandez-en un nouveau ci-dessous.
code-delivered = Le message est bien arrivé sur votre téléphone.
code-read = Le message a été ouvert sur votre téléphone.
code-failed = Le message n'a pas pu être distribué.
code-on-its-way = Le message est en route.
code-label = Code
code-expires = Le code expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
code-submit = Se connecter
code-resend-countdown = Pas de code ? Vous pourrez en demander un nouveau dans
code-resend-refresh = Rechargez cette page une fois le délai écoulé.
code-resend = Envoyer un nouveau code
code-fallback-wait-sms = Rien reçu ? Dans { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
}, vous pourrez recevoir le même code par SMS.
code-fallback-wait-whatsapp = Rien reçu ? Dans { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
}, vous pourrez recevoir le même code sur WhatsApp.
code-fallback-now = Rien reçu ?
code-fallback-sms = L'envoyer par SMS
code-fallback-whatsapp = L'envoyer sur WhatsApp
code-other-number = Utiliser un autre numéro
code-other-number-submit = Envoyer le code à ce numéro
code-resent = Nous vous avons envoyé un nouveau code. L'ancien code ne fonctionne plus.
code-fallback-sent-sms = Nous vous avons envoyé le même code par SMS. Le code reçu sur WhatsApp fonctionne aussi.
code-fallback-sent-whatsapp = Nous vous avons envoyé le même code sur WhatsApp. Le code reçu précédemment fonctionne aussi.

## Authenticator step
totp-title = Code d'authentification
totp-heading = Encore une étape
totp-lead = { $client } demande une seconde vérification : le code de votre application d'authentification.
totp-label = Code d'authentification
totp-hint = Les six chiffres affichés dans votre application. Vous avez perdu le téléphone qui contient l'application ? Saisissez plutôt l'un de vos codes de récupération.
totp-submit = Se connecter

## Choosing an account
choose-title = Choisir un compte
choose-heading = Choisissez un compte
choose-lead = { $client } vous demande quel compte utiliser.
choose-continue = Continuer en tant que { $phone }
choose-other = Utiliser un autre numéro
choose-other-hint = Si vous utilisez un autre numéro, { $phone } sera déconnecté de cet appareil.

## Consent
consent-title = Autoriser l'accès
consent-heading = Autoriser { $client } ?
consent-lead = Votre session est ouverte avec le { $phone }. { $client } recevra :
consent-identifier = un identifiant qui reste le même à chaque connexion sur ce site
consent-phone = votre numéro de téléphone, et la confirmation qu'il est vérifié
consent-offline = un accès qui reste valable après la fermeture du site, jusqu'à votre déconnexion de ce site
consent-allow = Autoriser
consent-cancel = Annuler

## Authenticator needed by a portal
authenticator-required-title = Application d'authentification requise
authenticator-required-lead = { $client } demande un code d'une application d'authentification en plus du code WhatsApp, et vous n'en avez pas encore configuré.
authenticator-required-body = Votre code WhatsApp était correct, et vous avez accès à votre compte ici. Ajoutez une application d'authentification (Google Authenticator, Authy, 1Password, Aegis, etc.) sur la page de votre compte, puis revenez sur { $client } et reconnectez-vous.
authenticator-required-setup = Configurer une application d'authentification
authenticator-required-back = Revenir sur { $client } sans se connecter

## Signing out
signed-out-title = Déconnexion
signed-out-heading = Déconnexion effectuée
signed-out-lead = Vous pouvez fermer cette page.
logout-title = Déconnexion
logout-heading = Se déconnecter ?
logout-asked-by = { $client } demande à vous déconnecter.
logout-asked = Un site demande à vous déconnecter.
logout-everywhere = Cela vous déconnectera de tous les sites qui utilisent ce service de connexion.
logout-submit = Se déconnecter
logout-stay = Rester connecté

## Pages for a problem (title, then what to do)
problem-stopped = Connexion interrompue
problem-stopped-advice = Vous pouvez fermer cette page.
problem-unavailable = Connexion indisponible
problem-unavailable-advice = Rechargez cette page dans un instant.
problem-missing = Il manque quelque chose
problem-missing-advice = Revenez en arrière et réessayez.
problem-wrong = Une erreur s'est produite
problem-wrong-advice = Revenez en arrière et réessayez.
problem-not-found = Page introuvable
problem-not-found-advice = Vérifiez le lien, ou revenez sur le site d'où vous venez.
problem-not-found-message = Il n'y a rien à cette adresse.

## A field the person left out
missing-phone = Saisissez votre numéro de téléphone.
missing-choice = Choisissez un compte.
missing-decision = Choisissez Autoriser ou Annuler.
missing-code = Saisissez le code.
invalid-channel = Choisissez le mode d'envoi du code.

## Login errors (pages and the JSON API's error_description)
error-flow-expired = Cette connexion a expiré ou a déjà été utilisée. Retournez sur le site et recommencez.
error-wrong-browser = Cette connexion a été lancée dans un autre navigateur. Retournez sur le site et recommencez depuis ce navigateur.
error-csrf = Ce formulaire n'a pas été envoyé depuis la page de connexion. Rechargez la page et réessayez.
error-wrong-step = Cette étape n'est pas possible pour le moment.
error-invalid-phone = Ce numéro de téléphone ne semble pas valide. Indiquez l'indicatif du pays, par exemple +33 6 39 98 00 00.
error-country-not-allowed = Les numéros de ce pays ne peuvent pas être utilisés pour se connecter ici.
error-type-not-allowed = Ce type de numéro ne peut pas recevoir de codes de connexion. Utilisez un numéro de mobile.
error-malformed-code = Saisissez le code exactement comme dans le message : uniquement des chiffres.
error-wrong-number = Utilisez le numéro que vous avez déjà confirmé pour cette connexion.
error-phone-required = Saisissez votre numéro de téléphone avec le code de votre application d'authentification.
error-authenticators-disabled = La connexion avec une application d'authentification n'est pas proposée ici.
error-authenticator-required = Ce site demande aussi un code d'une application d'authentification, et vous n'en avez pas configuré.
error-too-many-wrong-codes = Trop de codes d'authentification erronés pour ce numéro. Connectez-vous avec un code WhatsApp, ou patientez une heure.
error-wrong-code-last = Ce code est incorrect, et c'était votre dernier essai. Retournez sur le site et recommencez.
error-wrong-code = Ce code est incorrect. Vérifiez le message et réessayez.
error-tries-left = { $n ->
    [one] Il vous reste { $n } essai.
   *[other] Il vous reste { $n } essais.
}
error-code-expired = Ce code a expiré. Demandez-en un nouveau.
error-resend-too-soon = Patientez un peu avant de demander un autre code.
error-send-limit = Trop de codes ont été envoyés. Patientez un moment avant de réessayer.
error-challenge-required = L’envoi de codes est très sollicité en ce moment. Votre navigateur va faire une courte vérification, puis envoyer le code.
error-challenge-failed = La vérification n’a pas abouti. Réessayez.
challenge-working = Vérification de votre navigateur avant l’envoi du code…
challenge-noscript = Pour protéger ce service contre les abus, l’envoi d’un code demande en ce moment une courte vérification dans votre navigateur. Activez JavaScript et réessayez, ou revenez plus tard.
challenge-captcha = Effectuez la vérification ci-dessous, puis appuyez de nouveau sur le bouton.
error-too-many-logins = Trop de connexions ont été lancées depuis votre réseau. Patientez une minute et réessayez.
error-account-blocked = Ce compte ne peut pas se connecter. Si vous pensez qu’il s’agit d’une erreur, contactez le service auquel vous vous connectiez.
error-not-deliverable = Nous ne pouvons pas envoyer de message WhatsApp à ce numéro.
error-rate-limited = Le service de messagerie est surchargé. Patientez un instant, puis redemandez le code.
error-fallback-unavailable = Ce code ne peut pas être envoyé autrement.
error-unavailable = Impossible de joindre le service de messagerie. Réessayez dans un instant.
error-temporarily-unavailable = La connexion est indisponible pour le moment. Réessayez dans un instant.
error-conflict = Une autre requête a modifié cette connexion au même moment. Rechargez la page et réessayez.

## The message that carries the code (for gateways that send text)
code-message = { $code } est votre code de vérification. Il expire dans { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Ne le communiquez à personne.

## The account page
account-title = Votre compte
account-heading = Votre compte
account-signed-in-as = Session ouverte avec le { $phone }
account-authenticator = Application d'authentification
account-recovery-intro = Votre application d'authentification est active. Conservez ces codes de récupération en lieu sûr, à l'écart de votre téléphone. Chacun ne sert qu'une fois, à la place d'un code d'authentification. Ils ne sont affichés que cette fois-ci.
account-active = Une application d'authentification est active : vous pouvez vous connecter avec son code, et les sites qui demandent deux facteurs vous le demanderont après le code WhatsApp.
account-recovery-left = { $n ->
    [one] Il vous reste { $n } code de récupération.
   *[other] Il vous reste { $n } codes de récupération.
}
account-remove = Supprimer l'application d'authentification
account-remove-needs-sign-in = Pour la supprimer, reconnectez-vous d'abord avec un code de l'application (ou un code de récupération).
account-sign-in-again = Se reconnecter
account-scan = Scannez ce code avec votre application d'authentification, puis saisissez les six chiffres qu'elle affiche.
account-qr-alt = QR code pour votre application d'authentification
account-manual-key = Impossible de scanner ? Ajoutez un compte manuellement avec cette clé (basée sur le temps, 6 chiffres, toutes les 30 secondes) :
account-code-label = Code de l'application
account-confirm = Activer l'application d'authentification
account-offer = Connectez-vous avec le code d'une application d'authentification (Google Authenticator, Authy, 1Password, Aegis, etc.) au lieu d'attendre WhatsApp, et protégez les sites qui demandent deux facteurs.
account-set-up = Configurer une application d'authentification
account-set-up-needs-sign-in = Pour en configurer une, reconnectez-vous d'abord.
account-sign-out = Se déconnecter
account-sign-in-lead = Connectez-vous pour gérer votre application d'authentification.
account-sign-in-link = Se connecter avec votre numéro de téléphone
account-removed = L'application d'authentification a été supprimée. Désormais, connectez-vous avec les codes WhatsApp.
account-advice-back = Revenez sur la page de votre compte et réessayez.
account-advice-site = Revenez sur le site d'où vous venez.
account-advice-later = Réessayez dans un instant.
account-advice-reload = Rechargez la page de votre compte et réessayez.

## Account errors (the page and the JSON API's error_description)
account-error-sign-in-first = Connectez-vous d'abord.
account-error-stale = Par sécurité, reconnectez-vous avant de modifier votre application d'authentification.
account-error-authenticator-login = Pour supprimer votre application d'authentification, reconnectez-vous avec un code de cette application (ou un code de récupération).
account-error-already-active = Une application d'authentification est déjà active. Supprimez-la d'abord pour en utiliser une autre.
account-error-not-active = Aucune application d'authentification n'est active.
account-error-no-enrollment = Aucune application d'authentification n'attend de confirmation (la configuration a peut-être expiré). Recommencez.
account-error-malformed-code = Saisissez les six chiffres affichés par votre application d'authentification.
account-error-wrong-code = Ce code est incorrect. Vérifiez l'heure de votre téléphone et saisissez le code actuel.
account-error-conflict = Une autre requête a modifié votre compte au même moment. Rechargez la page et réessayez.
account-error-unavailable = Votre compte est indisponible pour le moment. Réessayez dans un instant.
account-error-disabled = Les applications d'authentification ne sont pas proposées ici.
account-error-csrf = Ce formulaire n'a pas été envoyé depuis la page de votre compte.

## Other pages for a problem
authorize-invalid = Cette demande de connexion n'est pas valide
authorize-invalid-link = Ce lien de connexion n'est pas valide
authorize-advice = Revenez sur le site d'où vous venez et réessayez.
authorize-advice-report = Revenez sur le site d'où vous venez et réessayez. Si le problème persiste, prévenez les responsables du site.
logout-failed = Échec de la déconnexion
logout-failed-advice = Revenez sur le site d'où vous venez.
logout-unavailable = La déconnexion est indisponible pour le moment. Réessayez dans un instant.
body-too-large = La requête est trop volumineuse.
body-unreadable = Impossible de lire la requête.
body-too-slow = La requête a mis trop de temps à arriver.
body-media-type = Envoyez du contenu application/json ou un formulaire.
body-not-object = Le corps de la requête doit être un objet JSON.
body-not-form = La requête doit être l'envoi d'un formulaire.

## The language switcher: each language's own name
language-name = Français

## The country of the phone form
country-label = Pays
country-none = Autre pays : saisissez le numéro avec + et l'indicatif
country-example = Par exemple { $example }. Nous vous enverrons un code à usage unique sur WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = Erreur :
code-look-for = Cherchez un message de { $sender } dans WhatsApp.
code-open-whatsapp = Ouvrir WhatsApp

## The ways out of a login that has ended
ways-start-again = Recommencer
ways-back = Retour à { $client }

## Setting up an authenticator app
account-open-app = L'ajouter à une application d'authentification sur ce téléphone
account-download-codes = Télécharger les codes dans un fichier texte
account-codes-kept = J'ai gardé mes codes de récupération en lieu sûr
account-continue = Continuer
error-wrong-app-code = Ce code n'est pas le bon. Saisissez le code affiché maintenant par votre application d'authentification.

## Somewhere to go after signing out
signed-out-account = Votre compte

# The account page: the number, the sessions, deleting the account.
account-number = Numéro de téléphone
account-number-label = Nouveau numéro de téléphone
account-number-send = Envoyer un code au nouveau numéro
account-number-code = Saisissez le code envoyé au { $phone } sur WhatsApp.
account-number-code-again = Saisissez le code envoyé à votre nouveau numéro.
account-number-code-label = Code
account-number-confirm = Utiliser ce numéro
account-number-changed = Votre numéro est désormais le { $phone }.
account-number-needs-sign-in = Pour changer de numéro, reconnectez-vous d’abord.
account-sessions = Où vous êtes connecté
account-session-current = ce navigateur
account-end-others = Se déconnecter partout ailleurs
account-ended-others = { $n ->
    [0] Aucune autre session n’était ouverte.
    [one] Une autre session a été fermée.
   *[other] { $n } autres sessions ont été fermées.
}
account-delete = Supprimer votre compte
account-delete-offer = Cela vous déconnecte partout et retire de ce service votre numéro, votre application d’authentification et vos sessions. C’est définitif.
account-delete-confirm = Je veux supprimer mon compte
account-delete-button = Supprimer mon compte
account-delete-needs-sign-in = Pour supprimer votre compte, reconnectez-vous d’abord.
account-deleted-title = Votre compte est supprimé
account-deleted-lead = Votre numéro et tout ce qui était conservé avec lui ici ont disparu. Si vous vous reconnectez, vous repartez de zéro comme une nouvelle personne.
account-error-stale-change = Par sécurité, reconnectez-vous avant de changer de numéro ou de supprimer votre compte.
account-error-not-confirmed = Cochez la case pour confirmer que vous voulez supprimer votre compte.
account-error-phone-taken = Ce numéro appartient déjà à un autre compte.
