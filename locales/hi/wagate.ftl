# wagate's words for people, in Hindi. Follows locales/en/wagate.ftl key for key.
# Keys are grouped by where they appear. Variables: { $client } the portal's name,
# { $phone } a phone number as shown, { $n }/{ $minutes }/{ $seconds } numbers.
# Plurals: Hindi uses [one] (0 and 1) and *[other].

## Every page
brand-footer = अपने फ़ोन से साइन इन करें
footer-support = सहायता
footer-privacy = गोपनीयता
footer-terms = शर्तें
language-switch = भाषा

## Phone step
phone-title = साइन इन करें
phone-heading = साइन इन करें
phone-lead = { $client } पर आगे बढ़ने के लिए
phone-locked = आपके ऑथेंटिकेटर कोड की पुष्टि हो गई है। { $client } को इस नंबर के लिए WhatsApp कोड भी चाहिए।
phone-label = आपका फ़ोन नंबर
phone-hint = नंबर देश के कोड के साथ डालें। हम आपको WhatsApp पर एक OTP भेजेंगे।
phone-submit = WhatsApp पर कोड भेजें
phone-use-authenticator = इसके बजाय ऑथेंटिकेटर ऐप इस्तेमाल करें
phone-authenticator-code = ऑथेंटिकेटर ऐप का कोड
phone-authenticator-hint = Google Authenticator, Authy, 1Password या ऐसे किसी ऐप से छह अंकों का कोड, या आपका कोई एक रिकवरी कोड।
phone-authenticator-submit = ऑथेंटिकेटर कोड से साइन इन करें

## Code step
code-title = अपना कोड डालें
code-heading = अपना कोड डालें
code-sent-whatsapp = हमने { $phone } पर WhatsApp से { $length } अंकों का कोड भेजा है।
code-sent-sms = हमने { $phone } पर SMS से { $length } अंकों का कोड भेजा है।
code-not-confirmed = हम पक्का नहीं कर पाए कि कोड { $phone } पर पहुँचा या नहीं। नीचे से नया कोड मांगें।
code-delivered = मैसेज आपके फ़ोन पर पहुँच गया है।
code-read = मैसेज आपके फ़ोन पर खोल लिया गया है।
code-failed = मैसेज नहीं पहुँच सका।
code-on-its-way = मैसेज भेजा जा रहा है।
code-label = कोड
code-expires = यह कोड { $minutes ->
    [one] { $minutes } मिनट
   *[other] { $minutes } मिनट
} में एक्सपायर हो जाएगा।
code-submit = साइन इन करें
code-resend-countdown = कोड नहीं मिला? नया कोड इतने समय बाद माँग सकते हैं:
code-resend-refresh = समय पूरा होने पर यह पेज फिर से लोड करें।
code-resend = नया कोड भेजें
code-fallback-wait-sms = कोड नहीं मिला? { $seconds ->
    [one] { $seconds } सेकंड
   *[other] { $seconds } सेकंड
} बाद आप यही कोड SMS से मंगवा सकते हैं।
code-fallback-wait-whatsapp = कोड नहीं मिला? { $seconds ->
    [one] { $seconds } सेकंड
   *[other] { $seconds } सेकंड
} बाद आप यही कोड WhatsApp पर मंगवा सकते हैं।
code-fallback-now = कोड नहीं मिला?
code-fallback-sms = SMS से भेजें
code-fallback-whatsapp = WhatsApp पर भेजें
code-other-number = दूसरा नंबर इस्तेमाल करें
code-other-number-submit = इस नंबर पर कोड भेजें
code-resent = हमने आपको नया कोड भेजा है। पहले भेजा गया कोड अब काम नहीं करेगा।
code-fallback-sent-sms = हमने यही कोड SMS से भी भेजा है। WhatsApp वाला कोड भी काम करेगा।
code-fallback-sent-whatsapp = हमने यही कोड WhatsApp पर भी भेजा है। पहले मिला कोड भी काम करेगा।

## Authenticator step
totp-title = ऑथेंटिकेटर कोड
totp-heading = बस एक और कदम
totp-lead = { $client } के लिए एक और पुष्टि ज़रूरी है: आपके ऑथेंटिकेटर ऐप का कोड।
totp-label = ऑथेंटिकेटर कोड
totp-hint = ऐप में दिख रहे छह अंक डालें। जिस फ़ोन में ऐप था, वह खो गया? तो अपना कोई एक रिकवरी कोड डालें।
totp-submit = साइन इन करें

## Choosing an account
choose-title = अकाउंट चुनें
choose-heading = अकाउंट चुनें
choose-lead = चुनें कि { $client } के लिए कौन-सा अकाउंट इस्तेमाल करना है।
choose-continue = { $phone } के रूप में आगे बढ़ें
choose-other = दूसरा नंबर इस्तेमाल करें
choose-other-hint = दूसरा नंबर इस्तेमाल करने पर इस डिवाइस से { $phone } साइन आउट हो जाएगा।

## Consent
consent-title = ऐक्सेस की अनुमति दें
consent-heading = { $client } को अनुमति दें?
consent-lead = आपने { $phone } से साइन इन किया है। { $client } को ये मिलेंगे:
consent-identifier = एक ID, जो वहाँ हर बार साइन इन करने पर एक जैसी रहती है
consent-phone = आपका फ़ोन नंबर, और यह जानकारी कि वह वेरिफ़ाइड है
consent-offline = ऐसा ऐक्सेस जो साइट बंद करने के बाद भी बना रहता है, जब तक आप वहाँ से साइन आउट न करें
consent-allow = अनुमति दें
consent-cancel = रद्द करें

## Authenticator needed by a portal
authenticator-required-title = ऑथेंटिकेटर ऐप ज़रूरी है
authenticator-required-lead = { $client } के लिए WhatsApp कोड के साथ-साथ ऑथेंटिकेटर ऐप का कोड भी ज़रूरी है, और आपने अभी तक कोई ऑथेंटिकेटर ऐप सेट अप नहीं किया है।
authenticator-required-body = आपका WhatsApp कोड सही था, और आप यहाँ अपने अकाउंट में साइन इन हैं। अपने अकाउंट पेज पर कोई ऑथेंटिकेटर ऐप (Google Authenticator, Authy, 1Password, Aegis, ...) जोड़ें, फिर { $client } पर वापस जाकर दोबारा साइन इन करें।
authenticator-required-setup = ऑथेंटिकेटर ऐप सेट अप करें
authenticator-required-back = साइन इन किए बिना { $client } पर वापस जाएँ

## Signing out
signed-out-title = साइन आउट हो गया
signed-out-heading = आप साइन आउट हो गए हैं
signed-out-lead = अब आप यह पेज बंद कर सकते हैं।
logout-title = साइन आउट करें
logout-heading = साइन आउट करें?
logout-asked-by = { $client } की ओर से साइन आउट करने का अनुरोध आया है।
logout-asked = एक साइट की ओर से साइन आउट करने का अनुरोध आया है।
logout-everywhere = इस साइन-इन का इस्तेमाल करने वाली हर साइट से आप साइन आउट हो जाएँगे।
logout-submit = साइन आउट करें
logout-stay = साइन इन रहें

## Pages for a problem (title, then what to do)
problem-stopped = साइन इन रुक गया
problem-stopped-advice = आप यह पेज बंद कर सकते हैं।
problem-unavailable = साइन इन अभी उपलब्ध नहीं है
problem-unavailable-advice = थोड़ी देर में यह पेज रीलोड करें।
problem-missing = कुछ जानकारी छूट गई है
problem-missing-advice = वापस जाकर फिर से कोशिश करें।
problem-wrong = कुछ गड़बड़ हो गई
problem-wrong-advice = वापस जाकर फिर से कोशिश करें।
problem-not-found = पेज नहीं मिला
problem-not-found-advice = लिंक जाँच लें, या जिस साइट से आए थे, वहीं वापस जाएँ।
problem-not-found-message = इस पते पर कुछ नहीं है।

## A field the person left out
missing-phone = अपना फ़ोन नंबर डालें।
missing-choice = एक अकाउंट चुनें।
missing-decision = “अनुमति दें” या “रद्द करें” चुनें।
missing-code = कोड डालें।
invalid-channel = चुनें कि कोड कैसे भेजा जाए।

## Login errors (pages and the JSON API's error_description)
error-flow-expired = यह साइन-इन एक्सपायर हो गया है या पहले ही इस्तेमाल हो चुका है। साइट पर वापस जाकर फिर से शुरू करें।
error-wrong-browser = यह साइन-इन किसी दूसरे ब्राउज़र में शुरू हुआ था। साइट पर वापस जाएँ और इसी ब्राउज़र में फिर से शुरू करें।
error-csrf = यह फ़ॉर्म साइन-इन पेज से नहीं भेजा गया। पेज रीलोड करके फिर से कोशिश करें।
error-wrong-step = अभी यह स्टेप नहीं किया जा सकता।
error-invalid-phone = यह फ़ोन नंबर सही नहीं लग रहा। नंबर देश के कोड के साथ डालें, जैसे +1 415 555 0100।
error-country-not-allowed = इस देश के नंबर से यहाँ साइन इन नहीं किया जा सकता।
error-type-not-allowed = इस तरह के नंबर पर साइन-इन कोड नहीं भेजे जा सकते। मोबाइल नंबर इस्तेमाल करें।
error-malformed-code = कोड ठीक वैसे ही लिखें जैसे मैसेज में है: सिर्फ़ अंक।
error-wrong-number = वही नंबर इस्तेमाल करें जिसकी पुष्टि आप इस साइन-इन में पहले ही कर चुके हैं।
error-phone-required = ऑथेंटिकेटर ऐप के कोड के साथ अपना फ़ोन नंबर भी डालें।
error-authenticators-disabled = यहाँ ऑथेंटिकेटर ऐप से साइन इन करने की सुविधा नहीं है।
error-authenticator-required = इस साइट के लिए ऑथेंटिकेटर ऐप का कोड भी ज़रूरी है, और आपने अभी तक कोई ऑथेंटिकेटर ऐप सेट अप नहीं किया है।
error-too-many-wrong-codes = इस नंबर के लिए कई बार गलत ऑथेंटिकेटर कोड डाला गया है। WhatsApp कोड से साइन इन करें, या एक घंटा इंतज़ार करें।
error-wrong-code-last = यह कोड सही नहीं है, और यह आखिरी कोशिश थी। साइट पर वापस जाकर फिर से शुरू करें।
error-wrong-code = यह कोड सही नहीं है। मैसेज दोबारा देखें और फिर से कोशिश करें।
error-tries-left = { $n ->
    [one] अभी { $n } कोशिश बाकी है।
   *[other] अभी { $n } कोशिशें बाकी हैं।
}
error-code-expired = यह कोड एक्सपायर हो चुका है। नया कोड मांगें।
error-resend-too-soon = नया कोड मांगने से पहले थोड़ा रुकें।
error-send-limit = बहुत ज़्यादा कोड भेजे जा चुके हैं। फिर से कोशिश करने से पहले कुछ देर रुकें।
error-challenge-required = अभी कोड भेजने पर बहुत भार है। आपका ब्राउज़र एक छोटी जाँच करेगा, फिर कोड भेजा जाएगा।
error-challenge-failed = वह जाँच पूरी नहीं हुई। फिर से कोशिश करें।
challenge-working = कोड भेजने से पहले आपके ब्राउज़र की जाँच हो रही है…
challenge-noscript = इस सेवा के दुरुपयोग को रोकने के लिए, अभी कोड भेजने से पहले आपके ब्राउज़र में एक छोटी जाँच ज़रूरी है। JavaScript चालू करके फिर से कोशिश करें, या कुछ देर बाद आएँ।
challenge-captcha = नीचे दी गई जाँच पूरी करें, फिर बटन दोबारा दबाएँ।
error-too-many-logins = आपके नेटवर्क से बहुत ज़्यादा साइन-इन शुरू किए गए हैं। एक मिनट रुककर फिर से कोशिश करें।
error-account-blocked = यह खाता साइन इन नहीं कर सकता। अगर आपको लगता है कि यह गलती है, तो उस सेवा से संपर्क करें जिसमें आप साइन इन कर रहे थे।
error-not-deliverable = हम इस नंबर पर WhatsApp मैसेज नहीं भेज सकते।
error-rate-limited = मैसेज भेजने वाली सर्विस अभी व्यस्त है। थोड़ा रुकें, फिर कोड दोबारा मांगें।
error-fallback-unavailable = यह कोड किसी और तरीके से नहीं भेजा जा सकता।
error-unavailable = मैसेज भेजने वाली सर्विस से संपर्क नहीं हो पाया। थोड़ी देर में फिर से कोशिश करें।
error-temporarily-unavailable = साइन इन अभी उपलब्ध नहीं है। थोड़ी देर में फिर से कोशिश करें।
error-conflict = उसी समय किसी दूसरे अनुरोध ने इस साइन-इन को बदल दिया। पेज रीलोड करके फिर से कोशिश करें।

## The message that carries the code (for gateways that send text)
code-message = { $code } आपका वेरिफ़िकेशन कोड है। यह { $minutes ->
    [one] { $minutes } मिनट
   *[other] { $minutes } मिनट
} में एक्सपायर हो जाएगा। इसे किसी के साथ शेयर न करें।

## The account page
account-title = आपका अकाउंट
account-heading = आपका अकाउंट
account-signed-in-as = आपने { $phone } से साइन इन किया है
account-authenticator = ऑथेंटिकेटर ऐप
account-recovery-intro = आपका ऑथेंटिकेटर चालू हो गया है। ये रिकवरी कोड अपने फ़ोन से अलग, किसी सुरक्षित जगह पर रखें। हर कोड ऑथेंटिकेटर कोड की जगह सिर्फ़ एक बार काम करता है। ये कोड सिर्फ़ अभी दिखाए जा रहे हैं।
account-active = ऑथेंटिकेटर ऐप चालू है: आप इसके कोड से साइन इन कर सकते हैं, और जिन साइटों पर दो-स्टेप वेरिफ़िकेशन ज़रूरी है, वहाँ WhatsApp कोड के बाद इसका कोड मांगा जाएगा।
account-recovery-left = { $n ->
    [one] { $n } रिकवरी कोड बचा है।
   *[other] { $n } रिकवरी कोड बचे हैं।
}
account-remove = ऑथेंटिकेटर ऐप हटाएँ
account-remove-needs-sign-in = इसे हटाने के लिए, पहले ऐप के कोड (या किसी रिकवरी कोड) से दोबारा साइन इन करें।
account-sign-in-again = दोबारा साइन इन करें
account-scan = इस कोड को अपने ऑथेंटिकेटर ऐप से स्कैन करें, फिर ऐप में दिख रहे छह अंक डालें।
account-qr-alt = आपके ऑथेंटिकेटर ऐप के लिए QR कोड
account-manual-key = स्कैन नहीं हो रहा? इस सेटअप कुंजी से खुद अकाउंट जोड़ें (समय-आधारित, 6 अंक, हर 30 सेकंड में):
account-code-label = ऐप का कोड
account-confirm = ऑथेंटिकेटर चालू करें
account-offer = WhatsApp का इंतज़ार करने के बजाय ऑथेंटिकेटर ऐप (Google Authenticator, Authy, 1Password, Aegis, ...) के कोड से साइन इन करें, और जिन साइटों पर दो-स्टेप वेरिफ़िकेशन ज़रूरी है, वहाँ अपने अकाउंट को सुरक्षित रखें।
account-set-up = ऑथेंटिकेटर ऐप सेट अप करें
account-set-up-needs-sign-in = इसे सेट अप करने के लिए, पहले दोबारा साइन इन करें।
account-sign-out = साइन आउट करें
account-sign-in-lead = अपना ऑथेंटिकेटर ऐप मैनेज करने के लिए साइन इन करें।
account-sign-in-link = अपने फ़ोन नंबर से साइन इन करें
account-removed = ऑथेंटिकेटर ऐप हटा दिया गया है। अब से WhatsApp कोड से साइन इन करें।
account-advice-back = अपने अकाउंट पेज पर वापस जाकर फिर से कोशिश करें।
account-advice-site = जिस साइट से आए थे, वहीं वापस जाएँ।
account-advice-later = थोड़ी देर में फिर से कोशिश करें।
account-advice-reload = अपना अकाउंट पेज रीलोड करके फिर से कोशिश करें।

## Account errors (the page and the JSON API's error_description)
account-error-sign-in-first = पहले साइन इन करें।
account-error-stale = आपकी सुरक्षा के लिए, ऑथेंटिकेटर ऐप बदलने से पहले दोबारा साइन इन करें।
account-error-authenticator-login = ऑथेंटिकेटर ऐप हटाने के लिए, उसी ऐप के कोड (या किसी रिकवरी कोड) से दोबारा साइन इन करें।
account-error-already-active = एक ऑथेंटिकेटर ऐप पहले से चालू है। दूसरा ऐप इस्तेमाल करने के लिए पहले उसे हटाएँ।
account-error-not-active = कोई ऑथेंटिकेटर ऐप चालू नहीं है।
account-error-no-enrollment = पुष्टि करने के लिए कोई ऑथेंटिकेटर सेटअप नहीं है (शायद वह एक्सपायर हो गया है)। फिर से शुरू करें।
account-error-malformed-code = आपके ऑथेंटिकेटर ऐप में दिख रहे छह अंक डालें।
account-error-wrong-code = यह कोड सही नहीं है। अपने फ़ोन का समय जाँचें और अभी दिख रहा कोड डालें।
account-error-conflict = उसी समय किसी दूसरे अनुरोध ने आपका अकाउंट बदल दिया। पेज रीलोड करके फिर से कोशिश करें।
account-error-unavailable = आपका अकाउंट अभी उपलब्ध नहीं है। थोड़ी देर में फिर से कोशिश करें।
account-error-disabled = यहाँ ऑथेंटिकेटर ऐप की सुविधा नहीं है।
account-error-csrf = यह फ़ॉर्म आपके अकाउंट पेज से नहीं भेजा गया।

## Other pages for a problem
authorize-invalid = यह साइन-इन अनुरोध मान्य नहीं है
authorize-invalid-link = यह साइन-इन लिंक मान्य नहीं है
authorize-advice = जिस साइट से आए थे, वहाँ वापस जाकर फिर से कोशिश करें।
authorize-advice-report = जिस साइट से आए थे, वहाँ वापस जाकर फिर से कोशिश करें। अगर बार-बार ऐसा हो, तो साइट चलाने वालों को बताएँ।
logout-failed = साइन आउट नहीं हो सका
logout-failed-advice = जिस साइट से आए थे, वहीं वापस जाएँ।
logout-unavailable = साइन आउट अभी उपलब्ध नहीं है। थोड़ी देर में फिर से कोशिश करें।
body-too-large = अनुरोध बहुत बड़ा है।
body-unreadable = अनुरोध पढ़ा नहीं जा सका।
body-too-slow = अनुरोध पहुँचने में बहुत ज़्यादा समय लगा।
body-media-type = application/json या फ़ॉर्म भेजें।
body-not-object = अनुरोध की बॉडी JSON ऑब्जेक्ट होनी चाहिए।
body-not-form = अनुरोध फ़ॉर्म पोस्ट के रूप में भेजा जाना चाहिए।

## The language switcher: each language's own name
language-name = हिन्दी

## The country of the phone form
country-label = देश
country-none = कोई और देश: नंबर + और देश कोड के साथ लिखें
country-example = उदाहरण: { $example }. हम आपको WhatsApp पर एक बार इस्तेमाल होने वाला कोड भेजेंगे।

## Where to look, and a page's title when something is wrong
title-error = त्रुटि:
code-look-for = WhatsApp में { $sender } का मैसेज देखें।
code-open-whatsapp = WhatsApp खोलें

## The ways out of a login that has ended
ways-start-again = फिर से शुरू करें
ways-back = { $client } पर वापस जाएं

## Setting up an authenticator app
account-open-app = इस फ़ोन के ऑथेंटिकेटर ऐप में जोड़ें
account-download-codes = कोड टेक्स्ट फ़ाइल के रूप में डाउनलोड करें
account-codes-kept = मैंने अपने रिकवरी कोड सुरक्षित जगह पर रख लिए हैं
account-continue = आगे बढ़ें
error-wrong-app-code = यह कोड सही नहीं है। आपका ऑथेंटिकेटर ऐप अभी जो कोड दिखा रहा है, वह डालें।

## Somewhere to go after signing out
signed-out-account = आपका अकाउंट

# The account page: the number, the sessions, deleting the account.
account-number = फ़ोन नंबर
account-number-label = नया फ़ोन नंबर
account-number-send = नए नंबर पर कोड भेजें
account-number-code = वह कोड लिखें जो हमने WhatsApp पर { $phone } को भेजा है।
account-number-code-again = वह कोड लिखें जो हमने आपके नए नंबर पर भेजा है।
account-number-code-label = कोड
account-number-confirm = यह नंबर इस्तेमाल करें
account-number-changed = अब आपका नंबर { $phone } है।
account-number-needs-sign-in = अपना नंबर बदलने के लिए पहले फिर से साइन इन करें।
account-sessions = आप कहाँ साइन इन हैं
account-session-current = यह ब्राउज़र
account-end-others = बाकी सब जगह से साइन आउट करें
account-ended-others = { $n ->
    [0] कोई दूसरा सेशन खुला नहीं था।
    [one] एक दूसरा सेशन साइन आउट हो गया।
   *[other] { $n } दूसरे सेशन साइन आउट हो गए।
}
account-delete = अपना खाता हटाएँ
account-delete-offer = इससे आप हर जगह से साइन आउट हो जाएँगे, और इस सेवा से आपका नंबर, आपका ऑथेंटिकेटर ऐप और आपके सेशन हट जाएँगे। इसे वापस नहीं किया जा सकता।
account-delete-confirm = मैं अपना खाता हटाना चाहता/चाहती हूँ
account-delete-button = मेरा खाता हटाएँ
account-delete-needs-sign-in = अपना खाता हटाने के लिए पहले फिर से साइन इन करें।
account-deleted-title = आपका खाता हटा दिया गया है
account-deleted-lead = आपका नंबर और उसके साथ यहाँ रखी हर चीज़ हट गई है। अगर आप फिर से साइन इन करते हैं, तो आप एक नए व्यक्ति के रूप में शुरू करेंगे।
account-error-stale-change = आपकी सुरक्षा के लिए, नंबर बदलने या खाता हटाने से पहले फिर से साइन इन करें।
account-error-not-confirmed = पुष्टि करने के लिए बॉक्स पर टिक करें कि आप अपना खाता हटाना चाहते हैं।
account-error-phone-taken = यह नंबर पहले से किसी दूसरे खाते का है।
