# wagate's words for people, in English: the reference every other language follows.
# Keys are grouped by where they appear. Variables: { $client } the portal's name,
# { $phone } a phone number as shown, { $n }/{ $minutes }/{ $seconds } numbers.

## Every page
brand-footer = Sign in with your phone
footer-support = Help
footer-privacy = Privacy
footer-terms = Terms
language-switch = Language

## Phone step
phone-title = Sign in
phone-heading = Sign in
phone-lead = to continue to { $client }
phone-locked = Your authenticator code is confirmed. { $client } also needs a WhatsApp code for this number.
phone-label = Your phone number
phone-hint = Include your country code. We will send a one-time code on WhatsApp.
phone-submit = Send me a WhatsApp code
phone-use-authenticator = Use my authenticator app instead
phone-authenticator-code = Code from your authenticator app
phone-authenticator-hint = Six digits from Google Authenticator, Authy, 1Password or similar, or one of your recovery codes.
phone-authenticator-submit = Sign in with the authenticator code

## Code step
code-title = Enter your code
code-heading = Enter your code
code-sent-whatsapp = We sent a { $length }-digit code on WhatsApp to { $phone }.
code-sent-sms = We sent a { $length }-digit code by SMS to { $phone }.
code-not-confirmed = We could not confirm that a code reached { $phone }. Ask for a new one below.
code-delivered = The message was delivered to your phone.
code-read = The message was opened on your phone.
code-failed = The message could not be delivered.
code-on-its-way = The message is on its way.
code-label = Code
code-expires = The code expires in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
code-submit = Sign in
code-resend-countdown = No code? You can ask for a new one in
code-resend-refresh = Reload this page when the time is up.
code-resend = Send a new code
code-fallback-wait-sms = Didn't get it? In { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} you can have the same code sent by SMS.
code-fallback-wait-whatsapp = Didn't get it? In { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} you can have the same code sent on WhatsApp.
code-fallback-now = Didn't get it?
code-fallback-sms = Send it by SMS
code-fallback-whatsapp = Send it on WhatsApp
code-other-number = Use a different number
code-other-number-submit = Send the code there
code-resent = We sent you a new code. The code sent before no longer works.
code-fallback-sent-sms = We sent the same code by SMS. The code in WhatsApp works too.
code-fallback-sent-whatsapp = We sent the same code on WhatsApp. The code you got before works too.

## Authenticator step
totp-title = Authenticator code
totp-heading = One more step
totp-lead = { $client } asks for a second proof: the code from your authenticator app.
totp-label = Authenticator code
totp-hint = Six digits from your app. Lost the phone with the app? Type one of your recovery codes instead.
totp-submit = Sign in

## Choosing an account
choose-title = Choose an account
choose-heading = Choose an account
choose-lead = { $client } asks which account to use.
choose-continue = Continue as { $phone }
choose-other = Use another number
choose-other-hint = Using another number signs { $phone } out on this device.

## Consent
consent-title = Allow access
consent-heading = Allow { $client }?
consent-lead = You are signed in as { $phone }. { $client } will receive:
consent-identifier = an identifier that stays the same each time you sign in there
consent-phone = your phone number, and that it is verified
consent-offline = access that lasts after you close the site, until you sign out there
consent-allow = Allow
consent-cancel = Cancel

## Authenticator needed by a portal
authenticator-required-title = Authenticator app needed
authenticator-required-lead = { $client } needs a code from an authenticator app as well as the WhatsApp code, and you have not set one up yet.
authenticator-required-body = Your WhatsApp code was right, and you are signed in to your account here. Add an authenticator app (Google Authenticator, Authy, 1Password, Aegis, ...) on your account page, then go back to { $client } and sign in again.
authenticator-required-setup = Set up an authenticator app
authenticator-required-back = Back to { $client } without signing in

## Signing out
signed-out-title = Signed out
signed-out-heading = You are signed out
signed-out-lead = You can close this page.
logout-title = Sign out
logout-heading = Sign out?
logout-asked-by = { $client } asks to sign you out.
logout-asked = A site asks to sign you out.
logout-everywhere = You will be signed out of every site that uses this sign-in.
logout-submit = Sign out
logout-stay = Stay signed in

## Pages for a problem (title, then what to do)
problem-stopped = Sign-in stopped
problem-stopped-advice = You can close this page.
problem-unavailable = Sign-in is unavailable
problem-unavailable-advice = Reload this page in a moment.
problem-missing = Something is missing
problem-missing-advice = Go back and try again.
problem-wrong = Something went wrong
problem-wrong-advice = Go back and try again.
problem-not-found = Page not found
problem-not-found-advice = Check the link, or go back to the site you came from.
problem-not-found-message = There is nothing at this address.

## A field the person left out
missing-phone = Enter your phone number.
missing-choice = Choose an account.
missing-decision = Choose Allow or Cancel.
missing-code = Enter the code.
invalid-channel = Choose how to send the code.

## Login errors (pages and the JSON API's error_description)
error-flow-expired = This sign-in has expired or was already used. Go back to the site and start again.
error-wrong-browser = This sign-in was started in another browser. Go back to the site and start again here.
error-csrf = This form was not sent from the sign-in page. Reload the page and try again.
error-wrong-step = That step is not possible now.
error-invalid-phone = That does not look like a phone number. Include the country code, like +1 415 555 0100.
error-country-not-allowed = Numbers from this country cannot sign in here.
error-type-not-allowed = This kind of number cannot receive sign-in codes. Use a mobile number.
error-malformed-code = Type the code exactly as it appears in the message: digits only.
error-wrong-number = Use the number you already confirmed in this sign-in.
error-phone-required = Enter your phone number with the code from your authenticator app.
error-authenticators-disabled = Signing in with an authenticator app is not offered here.
error-authenticator-required = This site needs a code from an authenticator app as well, and you have not set one up.
error-too-many-wrong-codes = Too many wrong authenticator codes for this number. Sign in with a WhatsApp code, or wait an hour.
error-wrong-code-last = That code is not right, and that was the last try. Go back to the site and start again.
error-wrong-code = That code is not right. Check the message and try again.
error-tries-left = { $n ->
    [one] You have one more try.
   *[other] You have { $n } more tries.
}
error-code-expired = That code has expired. Ask for a new one.
error-resend-too-soon = Please wait a little before asking for another code.
error-send-limit = Too many codes were sent. Wait a while before trying again.
error-challenge-required = Sending codes is busy right now. Your browser will do a short check, then send the code.
error-challenge-failed = That check did not work. Try again.
challenge-working = Checking your browser before sending the code…
challenge-noscript = To keep this service from being abused, sending a code now needs a short check that runs in your browser. Turn on JavaScript and try again, or come back later.
challenge-captcha = Complete the check below, then press the button again.
error-too-many-logins = Too many sign-ins were started from your network. Wait a minute and try again.
error-account-blocked = This account cannot sign in. If you think this is a mistake, contact the service you were signing in to.
error-not-deliverable = We cannot send a WhatsApp message to this number.
error-rate-limited = The messaging service is busy. Wait a moment, then ask for the code again.
error-fallback-unavailable = This code cannot be sent another way.
error-unavailable = We could not reach the messaging service. Try again in a moment.
error-temporarily-unavailable = Sign-in is unavailable right now. Try again in a moment.
error-conflict = Another request changed this sign-in at the same moment. Reload and try again.

## The message that carries the code (for gateways that send text)
code-message = { $code } is your verification code. It expires in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}. Do not share it.

## The account page
account-title = Your account
account-heading = Your account
account-signed-in-as = Signed in as { $phone }
account-authenticator = Authenticator app
account-recovery-intro = Your authenticator is active. Keep these recovery codes somewhere safe, away from your phone. Each works once, in place of an authenticator code. They are shown only now.
account-active = An authenticator app is active: you can sign in with its code, and sites that ask for two factors get it after the WhatsApp code.
account-recovery-left = { $n ->
    [one] { $n } recovery code left.
   *[other] { $n } recovery codes left.
}
account-remove = Remove the authenticator app
account-remove-needs-sign-in = To remove it, sign in again with a code from the app (or a recovery code) first.
account-sign-in-again = Sign in again
account-scan = Scan this code with your authenticator app, then type the six digits it shows.
account-qr-alt = QR code for your authenticator app
account-manual-key = Cannot scan? Add an account by hand with this key (time-based, 6 digits, every 30 seconds):
account-code-label = Code from the app
account-confirm = Turn on the authenticator
account-offer = Sign in with a code from an authenticator app (Google Authenticator, Authy, 1Password, Aegis, ...) instead of waiting for WhatsApp, and protect sites that ask for two factors.
account-set-up = Set up an authenticator app
account-set-up-needs-sign-in = To set one up, sign in again first.
account-sign-out = Sign out
account-sign-in-lead = Sign in to manage your authenticator app.
account-sign-in-link = Sign in with your phone number
account-removed = The authenticator app is removed. Sign in with WhatsApp codes from now on.
account-advice-back = Go back to your account page and try again.
account-advice-site = Go back to the site you came from.
account-advice-later = Try again in a moment.
account-advice-reload = Reload your account page and try again.

## Account errors (the page and the JSON API's error_description)
account-error-sign-in-first = Sign in first.
account-error-stale = For your safety, sign in again before changing your authenticator app.
account-error-authenticator-login = To remove your authenticator app, sign in again with a code from it (or a recovery code).
account-error-already-active = An authenticator app is already active. Remove it first to use another.
account-error-not-active = No authenticator app is active.
account-error-no-enrollment = There is no authenticator set-up to confirm (it may have expired). Start again.
account-error-malformed-code = Type the six digits your authenticator app shows.
account-error-wrong-code = That code is not right. Check the time on your phone and type the current code.
account-error-conflict = Another request changed your account at the same moment. Reload and try again.
account-error-unavailable = Your account is unavailable right now. Try again in a moment.
account-error-disabled = Authenticator apps are not offered here.
account-error-csrf = This form was not sent from your account page.

## Other pages for a problem
authorize-invalid = This sign-in request is not valid
authorize-invalid-link = This sign-in link is not valid
authorize-advice = Go back to the site you came from and try again.
authorize-advice-report = Go back to the site you came from and try again. If it keeps happening, tell the site's operators.
logout-failed = Sign-out failed
logout-failed-advice = Go back to the site you came from.
logout-unavailable = Sign-out is unavailable right now. Try again in a moment.
body-too-large = The request is too large.
body-unreadable = The request could not be read.
body-too-slow = The request took too long to arrive.
body-media-type = Send application/json or a form.
body-not-object = The body must be a JSON object.
body-not-form = The request must be a form post.

## The language switcher: each language's own name
language-name = English

## The country of the phone form
country-label = Country
country-none = Another country: type the number with + and its code
country-example = For example { $example }. We will send a one-time code on WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = Error:
code-look-for = Look for a message from { $sender } in WhatsApp.
code-open-whatsapp = Open WhatsApp

## The ways out of a login that has ended
ways-start-again = Start again
ways-back = Back to { $client }

## Setting up an authenticator app
account-open-app = Add it to an authenticator app on this phone
account-download-codes = Download the codes as a text file
account-codes-kept = I have saved my recovery codes somewhere safe
account-continue = Continue
error-wrong-app-code = That code is not right. Type the code your authenticator app shows now.

## Somewhere to go after signing out
signed-out-account = Your account

# The account page: the number, the sessions, deleting the account.
account-number = Phone number
account-number-label = New phone number
account-number-send = Send a code to the new number
account-number-code = Type the code we sent to { $phone } on WhatsApp.
account-number-code-again = Type the code we sent to your new number.
account-number-code-label = Code
account-number-confirm = Use this number
account-number-changed = Your number is now { $phone }.
account-number-needs-sign-in = To change your number, sign in again first.
account-sessions = Where you are signed in
account-session-current = this browser
account-end-others = Sign out everywhere else
account-ended-others = { $n ->
    [0] No other session was open.
    [one] One other session is signed out.
   *[other] { $n } other sessions are signed out.
}
account-delete = Delete your account
account-delete-offer = This signs you out everywhere and removes your number, your authenticator app and your sessions from this service. It cannot be undone.
account-delete-confirm = I want to delete my account
account-delete-button = Delete my account
account-delete-needs-sign-in = To delete your account, sign in again first.
account-deleted-title = Your account is deleted
account-deleted-lead = Your number and everything kept with it here are gone. If you sign in again, you start afresh as someone new.
account-error-stale-change = For your safety, sign in again before changing your number or deleting your account.
account-error-not-confirmed = Tick the box to confirm that you want to delete your account.
account-error-phone-taken = This number already belongs to another account.
