# wagate's words for people, in Arabic (Modern Standard). Follows locales/en/wagate.ftl key for key.
# Keys are grouped by where they appear. Variables: { $client } the portal's name,
# { $phone } a phone number as shown, { $n }/{ $minutes }/{ $seconds } numbers.
# Plurals: Arabic uses [zero], [one], [two], [few] (3-10), [many] (11-99) and *[other] (100+).

## Every page
brand-footer = سجّل الدخول برقم هاتفك
footer-support = المساعدة
footer-privacy = الخصوصية
footer-terms = الشروط
language-switch = اللغة

## Phone step
phone-title = تسجيل الدخول
phone-heading = تسجيل الدخول
phone-lead = للمتابعة إلى { $client }
phone-locked = تم تأكيد رمز تطبيق المصادقة. يحتاج { $client } أيضًا إلى رمز WhatsApp لهذا الرقم.
phone-label = رقم هاتفك
phone-hint = أدخل الرقم مع رمز الدولة. سنرسل لك رمزًا لمرة واحدة على WhatsApp.
phone-submit = أرسل لي رمزًا على WhatsApp
phone-use-authenticator = استخدم تطبيق المصادقة بدلًا من ذلك
phone-authenticator-code = الرمز من تطبيق المصادقة
phone-authenticator-hint = ستة أرقام من Google Authenticator أو Authy أو 1Password أو تطبيق مشابه، أو أحد رموز الاسترداد الخاصة بك.
phone-authenticator-submit = تسجيل الدخول برمز المصادقة

## Code step
code-title = أدخل الرمز
code-heading = أدخل الرمز
code-sent-whatsapp = أرسلنا رمزًا من { $length } أرقام على WhatsApp إلى { $phone }.
code-sent-sms = أرسلنا رمزًا من { $length } أرقام برسالة SMS إلى { $phone }.
code-not-confirmed = لم نتمكن من التأكد من وصول الرمز إلى { $phone }. اطلب رمزًا جديدًا من الأسفل.
code-delivered = وصلت الرسالة إلى هاتفك.
code-read = تم فتح الرسالة على هاتفك.
code-failed = تعذّر توصيل الرسالة.
code-on-its-way = الرسالة في الطريق إليك.
code-label = الرمز
code-expires = تنتهي صلاحية الرمز خلال { $minutes ->
    [zero] { $minutes } دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
    [many] { $minutes } دقيقة
   *[other] { $minutes } دقيقة
}.
code-submit = تسجيل الدخول
code-resend-countdown = لم يصلك الرمز؟ يمكنك طلب رمز جديد بعد
code-resend-refresh = أعد تحميل هذه الصفحة عند انتهاء الوقت.
code-resend = أرسل رمزًا جديدًا
code-fallback-wait-sms = لم يصلك الرمز؟ بعد { $seconds ->
    [zero] { $seconds } ثانية
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $seconds } ثوانٍ
    [many] { $seconds } ثانية
   *[other] { $seconds } ثانية
} يمكنك طلب إرسال الرمز نفسه برسالة SMS.
code-fallback-wait-whatsapp = لم يصلك الرمز؟ بعد { $seconds ->
    [zero] { $seconds } ثانية
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $seconds } ثوانٍ
    [many] { $seconds } ثانية
   *[other] { $seconds } ثانية
} يمكنك طلب إرسال الرمز نفسه على WhatsApp.
code-fallback-now = لم يصلك الرمز؟
code-fallback-sms = أرسله برسالة SMS
code-fallback-whatsapp = أرسله على WhatsApp
code-other-number = استخدم رقمًا آخر
code-other-number-submit = أرسل الرمز إلى هذا الرقم
code-resent = أرسلنا إليك رمزًا جديدًا. الرمز الذي أُرسل سابقًا لم يعد صالحًا.
code-fallback-sent-sms = أرسلنا الرمز نفسه برسالة SMS. الرمز الذي وصلك على WhatsApp صالح أيضًا.
code-fallback-sent-whatsapp = أرسلنا الرمز نفسه على WhatsApp. الرمز الذي وصلك سابقًا صالح أيضًا.

## Authenticator step
totp-title = رمز المصادقة
totp-heading = خطوة أخيرة
totp-lead = يطلب { $client } تأكيدًا إضافيًا: الرمز من تطبيق المصادقة.
totp-label = رمز المصادقة
totp-hint = ستة أرقام من التطبيق. فقدت الهاتف الذي عليه التطبيق؟ أدخل أحد رموز الاسترداد بدلًا من ذلك.
totp-submit = تسجيل الدخول

## Choosing an account
choose-title = اختر حسابًا
choose-heading = اختر حسابًا
choose-lead = يسألك { $client } عن الحساب الذي تريد استخدامه.
choose-continue = المتابعة بالرقم { $phone }
choose-other = استخدم رقمًا آخر
choose-other-hint = عند استخدام رقم آخر، سيتم تسجيل خروج { $phone } على هذا الجهاز.

## Consent
consent-title = السماح بالوصول
consent-heading = هل تسمح لـ { $client }؟
consent-lead = لقد سجّلت الدخول بالرقم { $phone }. سيحصل { $client } على:
consent-identifier = مُعرّف ثابت لا يتغير في كل مرة تسجّل فيها الدخول هناك
consent-phone = رقم هاتفك، وتأكيد أنه تم التحقق منه
consent-offline = وصول يستمر بعد إغلاق الموقع، إلى أن تسجّل الخروج منه
consent-allow = السماح
consent-cancel = إلغاء

## Authenticator needed by a portal
authenticator-required-title = يلزم تطبيق مصادقة
authenticator-required-lead = يحتاج { $client } إلى رمز من تطبيق مصادقة بالإضافة إلى رمز WhatsApp، ولم تُعِدّ تطبيق مصادقة بعد.
authenticator-required-body = رمز WhatsApp كان صحيحًا، وقد سجّلت الدخول إلى حسابك هنا. أضف تطبيق مصادقة (Google Authenticator أو Authy أو 1Password أو Aegis أو غيرها) من صفحة حسابك، ثم ارجع إلى { $client } وسجّل الدخول من جديد.
authenticator-required-setup = إعداد تطبيق مصادقة
authenticator-required-back = العودة إلى { $client } دون تسجيل الدخول

## Signing out
signed-out-title = تم تسجيل الخروج
signed-out-heading = تم تسجيل خروجك
signed-out-lead = يمكنك إغلاق هذه الصفحة.
logout-title = تسجيل الخروج
logout-heading = هل تريد تسجيل الخروج؟
logout-asked-by = يطلب { $client } تسجيل خروجك.
logout-asked = يطلب أحد المواقع تسجيل خروجك.
logout-everywhere = سيتم تسجيل خروجك من كل المواقع التي تستخدم طريقة تسجيل الدخول هذه.
logout-submit = تسجيل الخروج
logout-stay = البقاء مسجّل الدخول

## Pages for a problem (title, then what to do)
problem-stopped = توقف تسجيل الدخول
problem-stopped-advice = يمكنك إغلاق هذه الصفحة.
problem-unavailable = تسجيل الدخول غير متاح
problem-unavailable-advice = أعد تحميل هذه الصفحة بعد قليل.
problem-missing = بعض المعلومات ناقصة
problem-missing-advice = ارجع وحاول مرة أخرى.
problem-wrong = حدث خطأ ما
problem-wrong-advice = ارجع وحاول مرة أخرى.
problem-not-found = الصفحة غير موجودة
problem-not-found-advice = تحقّق من الرابط، أو ارجع إلى الموقع الذي جئت منه.
problem-not-found-message = لا يوجد شيء على هذا العنوان.

## A field the person left out
missing-phone = أدخل رقم هاتفك.
missing-choice = اختر حسابًا.
missing-decision = اختر «السماح» أو «إلغاء».
missing-code = أدخل الرمز.
invalid-channel = اختر طريقة إرسال الرمز.

## Login errors (pages and the JSON API's error_description)
error-flow-expired = انتهت صلاحية عملية تسجيل الدخول هذه أو سبق استخدامها. ارجع إلى الموقع وابدأ من جديد.
error-wrong-browser = بدأت عملية تسجيل الدخول هذه في متصفح آخر. ارجع إلى الموقع وابدأ من جديد هنا.
error-csrf = لم يتم إرسال هذا النموذج من صفحة تسجيل الدخول. أعد تحميل الصفحة وحاول مرة أخرى.
error-wrong-step = لا يمكن تنفيذ هذه الخطوة الآن.
error-invalid-phone = لا يبدو هذا رقم هاتف. أدخل الرقم مع رمز الدولة، مثل +1 415 555 0100.
error-country-not-allowed = لا يمكن تسجيل الدخول هنا بأرقام من هذه الدولة.
error-type-not-allowed = لا يمكن لهذا النوع من الأرقام استلام رموز تسجيل الدخول. استخدم رقم جوال.
error-malformed-code = اكتب الرمز كما يظهر في الرسالة تمامًا: أرقام فقط.
error-wrong-number = استخدم الرقم الذي أكّدته بالفعل في عملية تسجيل الدخول هذه.
error-phone-required = أدخل رقم هاتفك مع الرمز من تطبيق المصادقة.
error-authenticators-disabled = تسجيل الدخول بتطبيق مصادقة غير متاح هنا.
error-authenticator-required = يحتاج هذا الموقع أيضًا إلى رمز من تطبيق مصادقة، ولم تُعِدّ تطبيق مصادقة بعد.
error-too-many-wrong-codes = أُدخلت رموز مصادقة خاطئة مرات كثيرة لهذا الرقم. سجّل الدخول برمز WhatsApp، أو انتظر ساعة.
error-wrong-code-last = الرمز غير صحيح، وكانت هذه آخر محاولة. ارجع إلى الموقع وابدأ من جديد.
error-wrong-code = الرمز غير صحيح. تحقّق من الرسالة وحاول مرة أخرى.
error-tries-left = { $n ->
    [zero] لم تتبقَّ لديك أي محاولة.
    [one] تبقّت لديك محاولة واحدة.
    [two] تبقّت لديك محاولتان.
    [few] تبقّت لديك { $n } محاولات.
    [many] تبقّت لديك { $n } محاولة.
   *[other] تبقّت لديك { $n } محاولة.
}
error-code-expired = انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.
error-resend-too-soon = يُرجى الانتظار قليلًا قبل طلب رمز آخر.
error-send-limit = تم إرسال عدد كبير من الرموز. انتظر بعض الوقت قبل المحاولة مرة أخرى.
error-challenge-required = إرسال الرموز مزدحم الآن. سيُجري متصفحك فحصًا قصيرًا، ثم يُرسَل الرمز.
error-challenge-failed = لم ينجح هذا الفحص. حاول مرة أخرى.
challenge-working = جارٍ فحص متصفحك قبل إرسال الرمز…
challenge-noscript = لحماية هذه الخدمة من إساءة الاستخدام، يتطلب إرسال رمز الآن فحصًا قصيرًا يعمل في متصفحك. فعّل JavaScript وحاول مرة أخرى، أو عُد لاحقًا.
challenge-captcha = أكمل الفحص أدناه، ثم اضغط الزر مرة أخرى.
error-too-many-logins = بدأت محاولات تسجيل دخول كثيرة من شبكتك. انتظر دقيقة وحاول مرة أخرى.
error-account-blocked = لا يمكن لهذا الحساب تسجيل الدخول. إذا كنت تعتقد أن هذا خطأ، فتواصل مع الخدمة التي كنت تسجّل الدخول إليها.
error-not-deliverable = لا يمكننا إرسال رسالة WhatsApp إلى هذا الرقم.
error-rate-limited = خدمة الرسائل مشغولة حاليًا. انتظر قليلًا، ثم اطلب الرمز مرة أخرى.
error-fallback-unavailable = لا يمكن إرسال هذا الرمز بطريقة أخرى.
error-unavailable = تعذّر الاتصال بخدمة الرسائل. حاول مرة أخرى بعد قليل.
error-temporarily-unavailable = تسجيل الدخول غير متاح الآن. حاول مرة أخرى بعد قليل.
error-conflict = غيّر طلب آخر عملية تسجيل الدخول هذه في اللحظة نفسها. أعد تحميل الصفحة وحاول مرة أخرى.

## The message that carries the code (for gateways that send text)
code-message = { $code } هو رمز التحقق الخاص بك. تنتهي صلاحيته خلال { $minutes ->
    [zero] { $minutes } دقيقة
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
    [many] { $minutes } دقيقة
   *[other] { $minutes } دقيقة
}. لا تشاركه مع أي شخص.

## The account page
account-title = حسابك
account-heading = حسابك
account-signed-in-as = سجّلت الدخول بالرقم { $phone }
account-authenticator = تطبيق المصادقة
account-recovery-intro = تطبيق المصادقة مفعّل الآن. احفظ رموز الاسترداد هذه في مكان آمن بعيدًا عن هاتفك. يصلح كل رمز لمرة واحدة فقط بدلًا من رمز المصادقة. لن تظهر هذه الرموز إلا الآن.
account-active = تطبيق المصادقة مفعّل: يمكنك تسجيل الدخول بالرمز الذي يعرضه، وستطلبه منك المواقع التي تشترط التحقق بخطوتين بعد رمز WhatsApp.
account-recovery-left = { $n ->
    [zero] لم يتبقَّ أي رمز استرداد.
    [one] رمز استرداد واحد متبقٍ.
    [two] رمزا استرداد متبقيان.
    [few] { $n } رموز استرداد متبقية.
    [many] { $n } رمز استرداد متبقيًا.
   *[other] { $n } رمز استرداد متبقٍ.
}
account-remove = إزالة تطبيق المصادقة
account-remove-needs-sign-in = لإزالته، سجّل الدخول من جديد أولًا برمز من التطبيق (أو برمز استرداد).
account-sign-in-again = سجّل الدخول من جديد
account-scan = امسح هذا الرمز بتطبيق المصادقة، ثم أدخل الأرقام الستة التي يعرضها.
account-qr-alt = رمز QR لتطبيق المصادقة
account-manual-key = لا يمكنك المسح؟ أضف حسابًا يدويًا بهذا المفتاح (مبني على الوقت، 6 أرقام، كل 30 ثانية):
account-code-label = الرمز من التطبيق
account-confirm = تفعيل تطبيق المصادقة
account-offer = سجّل الدخول برمز من تطبيق مصادقة (Google Authenticator أو Authy أو 1Password أو Aegis أو غيرها) بدلًا من انتظار WhatsApp، واحمِ حسابك في المواقع التي تشترط التحقق بخطوتين.
account-set-up = إعداد تطبيق مصادقة
account-set-up-needs-sign-in = لإعداده، سجّل الدخول من جديد أولًا.
account-sign-out = تسجيل الخروج
account-sign-in-lead = سجّل الدخول لإدارة تطبيق المصادقة.
account-sign-in-link = سجّل الدخول برقم هاتفك
account-removed = تمت إزالة تطبيق المصادقة. من الآن فصاعدًا، سجّل الدخول برموز WhatsApp.
account-advice-back = ارجع إلى صفحة حسابك وحاول مرة أخرى.
account-advice-site = ارجع إلى الموقع الذي جئت منه.
account-advice-later = حاول مرة أخرى بعد قليل.
account-advice-reload = أعد تحميل صفحة حسابك وحاول مرة أخرى.

## Account errors (the page and the JSON API's error_description)
account-error-sign-in-first = سجّل الدخول أولًا.
account-error-stale = حفاظًا على أمانك، سجّل الدخول من جديد قبل تغيير تطبيق المصادقة.
account-error-authenticator-login = لإزالة تطبيق المصادقة، سجّل الدخول من جديد برمز منه (أو برمز استرداد).
account-error-already-active = يوجد تطبيق مصادقة مفعّل بالفعل. أزِله أولًا لاستخدام تطبيق آخر.
account-error-not-active = لا يوجد تطبيق مصادقة مفعّل.
account-error-no-enrollment = لا يوجد إعداد لتطبيق المصادقة بانتظار التأكيد (ربما انتهت صلاحيته). ابدأ من جديد.
account-error-malformed-code = اكتب الأرقام الستة التي يعرضها تطبيق المصادقة.
account-error-wrong-code = الرمز غير صحيح. تحقّق من الوقت على هاتفك وأدخل الرمز الحالي.
account-error-conflict = غيّر طلب آخر حسابك في اللحظة نفسها. أعد تحميل الصفحة وحاول مرة أخرى.
account-error-unavailable = حسابك غير متاح الآن. حاول مرة أخرى بعد قليل.
account-error-disabled = تطبيقات المصادقة غير متاحة هنا.
account-error-csrf = لم يتم إرسال هذا النموذج من صفحة حسابك.

## Other pages for a problem
authorize-invalid = طلب تسجيل الدخول هذا غير صالح
authorize-invalid-link = رابط تسجيل الدخول هذا غير صالح
authorize-advice = ارجع إلى الموقع الذي جئت منه وحاول مرة أخرى.
authorize-advice-report = ارجع إلى الموقع الذي جئت منه وحاول مرة أخرى. إذا تكرر ذلك، فأبلغ القائمين على الموقع.
logout-failed = تعذّر تسجيل الخروج
logout-failed-advice = ارجع إلى الموقع الذي جئت منه.
logout-unavailable = تسجيل الخروج غير متاح الآن. حاول مرة أخرى بعد قليل.
body-too-large = الطلب كبير جدًا.
body-unreadable = تعذّرت قراءة الطلب.
body-too-slow = استغرق وصول الطلب وقتًا طويلًا جدًا.
body-media-type = أرسل application/json أو نموذجًا.
body-not-object = يجب أن يكون محتوى الطلب كائن JSON.
body-not-form = يجب إرسال الطلب كنموذج.

## The language switcher: each language's own name
language-name = العربية

## The country of the phone form
country-label = الدولة
country-none = دولة أخرى: اكتب الرقم مع + ورمز الدولة
country-example = مثال: { $example }. سنرسل لك رمزًا لمرة واحدة عبر WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = خطأ:
code-look-for = ابحث عن رسالة من { $sender } في WhatsApp.
code-open-whatsapp = افتح WhatsApp

## The ways out of a login that has ended
ways-start-again = ابدأ من جديد
ways-back = العودة إلى { $client }

## Setting up an authenticator app
account-open-app = أضِفه إلى تطبيق المصادقة على هذا الهاتف
account-download-codes = نزّل الرموز كملف نصي
account-codes-kept = حفظتُ رموز الاسترداد في مكان آمن
account-continue = متابعة
error-wrong-app-code = هذا الرمز غير صحيح. اكتب الرمز الذي يعرضه تطبيق المصادقة الآن.

## Somewhere to go after signing out
signed-out-account = حسابك

# The account page: the number, the sessions, deleting the account.
account-number = رقم الهاتف
account-number-label = رقم الهاتف الجديد
account-number-send = أرسل رمزًا إلى الرقم الجديد
account-number-code = اكتب الرمز الذي أرسلناه إلى { $phone } عبر واتساب.
account-number-code-again = اكتب الرمز الذي أرسلناه إلى رقمك الجديد.
account-number-code-label = الرمز
account-number-confirm = استخدم هذا الرقم
account-number-changed = رقمك الآن { $phone }.
account-number-needs-sign-in = لتغيير رقمك، سجّل الدخول مرة أخرى أولًا.
account-sessions = أين سجّلت الدخول
account-session-current = هذا المتصفح
account-end-others = سجّل الخروج من كل الأماكن الأخرى
account-ended-others = { $n ->
    [0] لم تكن هناك جلسة أخرى مفتوحة.
    [zero] لم تكن هناك جلسة أخرى مفتوحة.
    [one] أُغلقت جلسة أخرى واحدة.
    [two] أُغلقت جلستان أخريان.
    [few] أُغلقت { $n } جلسات أخرى.
    [many] أُغلقت { $n } جلسة أخرى.
   *[other] أُغلقت { $n } جلسة أخرى.
}
account-delete = احذف حسابك
account-delete-offer = يؤدي هذا إلى تسجيل خروجك من كل مكان وحذف رقمك وتطبيق المصادقة وجلساتك من هذه الخدمة. لا يمكن التراجع عن ذلك.
account-delete-confirm = أريد حذف حسابي
account-delete-button = احذف حسابي
account-delete-needs-sign-in = لحذف حسابك، سجّل الدخول مرة أخرى أولًا.
account-deleted-title = حُذف حسابك
account-deleted-lead = حُذف رقمك وكل ما كان محفوظًا معه هنا. إذا سجّلت الدخول مرة أخرى، فستبدأ من جديد كشخص جديد.
account-error-stale-change = من أجل أمانك، سجّل الدخول مرة أخرى قبل تغيير رقمك أو حذف حسابك.
account-error-not-confirmed = ضع علامة في المربع لتأكيد أنك تريد حذف حسابك.
account-error-phone-taken = هذا الرقم مرتبط بحساب آخر بالفعل.
