# wagate's words for people, in Indonesian (Anda). Follows locales/en/wagate.ftl key for key.
# Keys are grouped by where they appear. Variables: { $client } the portal's name,
# { $phone } a phone number as shown, { $n }/{ $minutes }/{ $seconds } numbers.
# Indonesian has no plural forms, so numbers take a single form (no select expressions).

## Every page
brand-footer = Masuk dengan nomor HP Anda
footer-support = Bantuan
footer-privacy = Privasi
footer-terms = Ketentuan
language-switch = Bahasa

## Phone step
phone-title = Masuk
phone-heading = Masuk
phone-lead = untuk lanjut ke { $client }
phone-locked = Kode autentikator Anda sudah dikonfirmasi. { $client } juga memerlukan kode WhatsApp untuk nomor ini.
phone-label = Nomor HP Anda
phone-hint = Sertakan kode negara. Kami akan mengirim kode sekali pakai lewat WhatsApp.
phone-submit = Kirim kode lewat WhatsApp
phone-use-authenticator = Gunakan aplikasi autentikator saja
phone-authenticator-code = Kode dari aplikasi autentikator Anda
phone-authenticator-hint = Enam digit dari Google Authenticator, Authy, 1Password, atau aplikasi sejenis, atau salah satu kode pemulihan Anda.
phone-authenticator-submit = Masuk dengan kode autentikator

## Code step
code-title = Masukkan kode
code-heading = Masukkan kode Anda
code-sent-whatsapp = Kami telah mengirim kode { $length } digit lewat WhatsApp ke { $phone }.
code-sent-sms = Kami telah mengirim kode { $length } digit lewat SMS ke { $phone }.
code-not-confirmed = Kami tidak dapat memastikan kode sudah sampai ke { $phone }. Minta kode baru di bawah.
code-delivered = Pesan sudah terkirim ke HP Anda.
code-read = Pesan sudah dibuka di HP Anda.
code-failed = Pesan gagal terkirim.
code-on-its-way = Pesan sedang dikirim.
code-label = Kode
code-expires = Kode berlaku selama { $minutes } menit.
code-submit = Masuk
code-resend-countdown = Tidak menerima kode? Anda bisa meminta kode baru dalam
code-resend-refresh = Muat ulang halaman ini setelah waktunya habis.
code-resend = Kirim kode baru
code-fallback-wait-sms = Belum menerima kode? Dalam { $seconds } detik, Anda bisa meminta kode yang sama dikirim lewat SMS.
code-fallback-wait-whatsapp = Belum menerima kode? Dalam { $seconds } detik, Anda bisa meminta kode yang sama dikirim lewat WhatsApp.
code-fallback-now = Belum menerima kode?
code-fallback-sms = Kirim lewat SMS
code-fallback-whatsapp = Kirim lewat WhatsApp
code-other-number = Gunakan nomor lain
code-other-number-submit = Kirim kode ke nomor ini
code-resent = Kami telah mengirim kode baru. Kode yang dikirim sebelumnya tidak berlaku lagi.
code-fallback-sent-sms = Kami telah mengirim kode yang sama lewat SMS. Kode di WhatsApp juga tetap berlaku.
code-fallback-sent-whatsapp = Kami telah mengirim kode yang sama lewat WhatsApp. Kode yang Anda terima sebelumnya juga tetap berlaku.

## Authenticator step
totp-title = Kode autentikator
totp-heading = Satu langkah lagi
totp-lead = { $client } meminta verifikasi tambahan: kode dari aplikasi autentikator Anda.
totp-label = Kode autentikator
totp-hint = Enam digit dari aplikasi Anda. HP yang ada aplikasinya hilang? Masukkan salah satu kode pemulihan Anda.
totp-submit = Masuk

## Choosing an account
choose-title = Pilih akun
choose-heading = Pilih akun
choose-lead = { $client } meminta Anda memilih akun yang akan digunakan.
choose-continue = Lanjut sebagai { $phone }
choose-other = Gunakan nomor lain
choose-other-hint = Jika Anda menggunakan nomor lain, { $phone } akan dikeluarkan dari perangkat ini.

## Consent
consent-title = Izinkan akses
consent-heading = Izinkan { $client }?
consent-lead = Anda masuk sebagai { $phone }. { $client } akan menerima:
consent-identifier = ID yang selalu sama setiap kali Anda masuk ke situs tersebut
consent-phone = nomor HP Anda, beserta status bahwa nomor tersebut sudah terverifikasi
consent-offline = akses yang tetap berlaku setelah Anda menutup situs, sampai Anda keluar dari situs tersebut
consent-allow = Izinkan
consent-cancel = Batal

## Authenticator needed by a portal
authenticator-required-title = Perlu aplikasi autentikator
authenticator-required-lead = { $client } memerlukan kode dari aplikasi autentikator selain kode WhatsApp, dan Anda belum mengaturnya.
authenticator-required-body = Kode WhatsApp Anda benar, dan Anda sudah masuk ke akun Anda di sini. Tambahkan aplikasi autentikator (Google Authenticator, Authy, 1Password, Aegis, dll.) di halaman akun Anda, lalu kembali ke { $client } dan masuk lagi.
authenticator-required-setup = Atur aplikasi autentikator
authenticator-required-back = Kembali ke { $client } tanpa masuk

## Signing out
signed-out-title = Berhasil keluar
signed-out-heading = Anda sudah keluar
signed-out-lead = Anda bisa menutup halaman ini.
logout-title = Keluar
logout-heading = Keluar dari akun?
logout-asked-by = { $client } meminta agar Anda keluar dari akun.
logout-asked = Sebuah situs meminta agar Anda keluar dari akun.
logout-everywhere = Anda akan keluar dari semua situs yang menggunakan layanan masuk ini.
logout-submit = Keluar
logout-stay = Tetap masuk

## Pages for a problem (title, then what to do)
problem-stopped = Proses masuk dihentikan
problem-stopped-advice = Anda bisa menutup halaman ini.
problem-unavailable = Layanan masuk sedang tidak tersedia
problem-unavailable-advice = Muat ulang halaman ini sebentar lagi.
problem-missing = Ada yang kurang
problem-missing-advice = Kembali dan coba lagi.
problem-wrong = Terjadi kesalahan
problem-wrong-advice = Kembali dan coba lagi.
problem-not-found = Halaman tidak ditemukan
problem-not-found-advice = Periksa link-nya, atau kembali ke situs asal Anda.
problem-not-found-message = Tidak ada halaman di alamat ini.

## A field the person left out
missing-phone = Masukkan nomor HP Anda.
missing-choice = Pilih akun.
missing-decision = Pilih Izinkan atau Batal.
missing-code = Masukkan kode.
invalid-channel = Pilih cara pengiriman kode.

## Login errors (pages and the JSON API's error_description)
error-flow-expired = Sesi masuk ini sudah kedaluwarsa atau sudah digunakan. Kembali ke situs dan mulai lagi.
error-wrong-browser = Proses masuk ini dimulai di browser lain. Kembali ke situs dan mulai lagi dari browser ini.
error-csrf = Formulir ini tidak dikirim dari halaman masuk. Muat ulang halaman dan coba lagi.
error-wrong-step = Langkah itu tidak bisa dilakukan sekarang.
error-invalid-phone = Sepertinya itu bukan nomor HP. Sertakan kode negara, contoh: +62 812 3456 7890.
error-country-not-allowed = Nomor dari negara ini tidak bisa digunakan untuk masuk di sini.
error-type-not-allowed = Jenis nomor ini tidak bisa menerima kode masuk. Gunakan nomor HP.
error-malformed-code = Ketik kode persis seperti di pesan: hanya angka.
error-wrong-number = Gunakan nomor yang sudah Anda konfirmasi dalam proses masuk ini.
error-phone-required = Masukkan nomor HP Anda beserta kode dari aplikasi autentikator.
error-authenticators-disabled = Masuk dengan aplikasi autentikator tidak tersedia di sini.
error-authenticator-required = Situs ini juga memerlukan kode dari aplikasi autentikator, dan Anda belum mengaturnya.
error-too-many-wrong-codes = Terlalu banyak kode autentikator yang salah untuk nomor ini. Masuk dengan kode WhatsApp, atau tunggu satu jam.
error-wrong-code-last = Kode salah, dan itu percobaan terakhir Anda. Kembali ke situs dan mulai lagi.
error-wrong-code = Kode salah. Periksa pesan dan coba lagi.
error-tries-left = Sisa { $n } kali percobaan.
error-code-expired = Kode sudah kedaluwarsa. Minta kode baru.
error-resend-too-soon = Tunggu sebentar sebelum meminta kode lagi.
error-send-limit = Terlalu banyak kode yang dikirim. Tunggu beberapa saat sebelum mencoba lagi.
error-challenge-required = Pengiriman kode sedang sibuk. Browser Anda akan melakukan pemeriksaan singkat, lalu kode dikirim.
error-challenge-failed = Pemeriksaan itu gagal. Coba lagi.
challenge-working = Memeriksa browser Anda sebelum mengirim kode…
challenge-noscript = Untuk mencegah penyalahgunaan layanan ini, pengiriman kode saat ini memerlukan pemeriksaan singkat di browser Anda. Aktifkan JavaScript lalu coba lagi, atau kembali nanti.
challenge-captcha = Selesaikan pemeriksaan di bawah, lalu tekan tombolnya lagi.
error-too-many-logins = Terlalu banyak percobaan masuk dari jaringan Anda. Tunggu satu menit, lalu coba lagi.
error-account-blocked = Akun ini tidak dapat masuk. Jika menurut Anda ini keliru, hubungi layanan yang sedang Anda masuki.
error-not-deliverable = Kami tidak dapat mengirim pesan WhatsApp ke nomor ini.
error-rate-limited = Layanan pesan sedang sibuk. Tunggu sebentar, lalu minta kode lagi.
error-fallback-unavailable = Kode ini tidak bisa dikirim dengan cara lain.
error-unavailable = Kami tidak dapat terhubung ke layanan pesan. Coba lagi sebentar lagi.
error-temporarily-unavailable = Layanan masuk sedang tidak tersedia. Coba lagi sebentar lagi.
error-conflict = Ada permintaan lain yang mengubah proses masuk ini pada saat yang sama. Muat ulang dan coba lagi.

## The message that carries the code (for gateways that send text)
code-message = { $code } adalah kode verifikasi Anda. Kode berlaku selama { $minutes } menit. Jangan berikan kode ini kepada siapa pun.

## The account page
account-title = Akun Anda
account-heading = Akun Anda
account-signed-in-as = Masuk sebagai { $phone }
account-authenticator = Aplikasi autentikator
account-recovery-intro = Autentikator Anda sudah aktif. Simpan kode pemulihan ini di tempat yang aman, terpisah dari HP Anda. Setiap kode hanya bisa dipakai sekali, sebagai pengganti kode autentikator. Kode ini hanya ditampilkan sekarang.
account-active = Aplikasi autentikator sudah aktif: Anda bisa masuk dengan kodenya, dan situs yang memerlukan verifikasi dua langkah akan meminta kode ini setelah kode WhatsApp.
account-recovery-left = Sisa { $n } kode pemulihan.
account-remove = Hapus aplikasi autentikator
account-remove-needs-sign-in = Untuk menghapusnya, masuk lagi terlebih dahulu dengan kode dari aplikasi (atau kode pemulihan).
account-sign-in-again = Masuk lagi
account-scan = Pindai kode ini dengan aplikasi autentikator Anda, lalu ketik enam digit yang muncul.
account-qr-alt = Kode QR untuk aplikasi autentikator Anda
account-manual-key = Tidak bisa memindai? Tambahkan akun secara manual dengan kunci ini (berbasis waktu, 6 digit, setiap 30 detik):
account-code-label = Kode dari aplikasi
account-confirm = Aktifkan autentikator
account-offer = Masuk dengan kode dari aplikasi autentikator (Google Authenticator, Authy, 1Password, Aegis, dll.) tanpa perlu menunggu WhatsApp, dan lindungi akun Anda di situs yang memerlukan verifikasi dua langkah.
account-set-up = Atur aplikasi autentikator
account-set-up-needs-sign-in = Untuk mengaturnya, masuk lagi terlebih dahulu.
account-sign-out = Keluar
account-sign-in-lead = Masuk untuk mengelola aplikasi autentikator Anda.
account-sign-in-link = Masuk dengan nomor HP Anda
account-removed = Aplikasi autentikator sudah dihapus. Mulai sekarang, masuk dengan kode WhatsApp.
account-advice-back = Kembali ke halaman akun Anda dan coba lagi.
account-advice-site = Kembali ke situs asal Anda.
account-advice-later = Coba lagi sebentar lagi.
account-advice-reload = Muat ulang halaman akun Anda dan coba lagi.

## Account errors (the page and the JSON API's error_description)
account-error-sign-in-first = Masuk terlebih dahulu.
account-error-stale = Demi keamanan, masuk lagi sebelum mengubah aplikasi autentikator Anda.
account-error-authenticator-login = Untuk menghapus aplikasi autentikator, masuk lagi dengan kode dari aplikasi tersebut (atau kode pemulihan).
account-error-already-active = Aplikasi autentikator sudah aktif. Hapus dulu jika ingin menggunakan aplikasi lain.
account-error-not-active = Tidak ada aplikasi autentikator yang aktif.
account-error-no-enrollment = Tidak ada pengaturan autentikator yang perlu dikonfirmasi (mungkin sudah kedaluwarsa). Mulai lagi.
account-error-malformed-code = Ketik enam digit yang muncul di aplikasi autentikator Anda.
account-error-wrong-code = Kode salah. Periksa jam di HP Anda, lalu ketik kode yang sedang tampil.
account-error-conflict = Ada permintaan lain yang mengubah akun Anda pada saat yang sama. Muat ulang dan coba lagi.
account-error-unavailable = Akun Anda sedang tidak tersedia. Coba lagi sebentar lagi.
account-error-disabled = Aplikasi autentikator tidak tersedia di sini.
account-error-csrf = Formulir ini tidak dikirim dari halaman akun Anda.

## Other pages for a problem
authorize-invalid = Permintaan masuk ini tidak valid
authorize-invalid-link = Link masuk ini tidak valid
authorize-advice = Kembali ke situs asal Anda dan coba lagi.
authorize-advice-report = Kembali ke situs asal Anda dan coba lagi. Jika masalah ini terus terjadi, beri tahu pengelola situs tersebut.
logout-failed = Gagal keluar
logout-failed-advice = Kembali ke situs asal Anda.
logout-unavailable = Saat ini Anda tidak bisa keluar. Coba lagi sebentar lagi.
body-too-large = Permintaan terlalu besar.
body-unreadable = Permintaan tidak dapat dibaca.
body-too-slow = Permintaan terlalu lama sampai.
body-media-type = Kirim application/json atau formulir.
body-not-object = Isi permintaan harus berupa objek JSON.
body-not-form = Permintaan harus dikirim sebagai formulir.

## The language switcher: each language's own name
language-name = Bahasa Indonesia

## The country of the phone form
country-label = Negara
country-none = Negara lain: ketik nomor dengan + dan kode negaranya
country-example = Contoh: { $example }. Kami akan mengirim kode sekali pakai lewat WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = Kesalahan:
code-look-for = Cari pesan dari { $sender } di WhatsApp.
code-open-whatsapp = Buka WhatsApp

## The ways out of a login that has ended
ways-start-again = Mulai lagi
ways-back = Kembali ke { $client }

## Setting up an authenticator app
account-open-app = Tambahkan ke aplikasi autentikator di HP ini
account-download-codes = Unduh kode sebagai file teks
account-codes-kept = Saya sudah menyimpan kode pemulihan di tempat yang aman
account-continue = Lanjutkan
error-wrong-app-code = Kode itu salah. Ketik kode yang sedang ditampilkan aplikasi autentikator Anda.

## Somewhere to go after signing out
signed-out-account = Akun Anda

# The account page: the number, the sessions, deleting the account.
account-number = Nomor telepon
account-number-label = Nomor telepon baru
account-number-send = Kirim kode ke nomor baru
account-number-code = Ketik kode yang kami kirim ke { $phone } lewat WhatsApp.
account-number-code-again = Ketik kode yang kami kirim ke nomor baru Anda.
account-number-code-label = Kode
account-number-confirm = Gunakan nomor ini
account-number-changed = Nomor Anda sekarang { $phone }.
account-number-needs-sign-in = Untuk mengganti nomor, masuk lagi terlebih dahulu.
account-sessions = Tempat Anda masuk
account-session-current = browser ini
account-end-others = Keluar dari semua tempat lain
account-ended-others = { $n ->
    [0] Tidak ada sesi lain yang terbuka.
   *[other] { $n } sesi lain telah dikeluarkan.
}
account-delete = Hapus akun Anda
account-delete-offer = Ini mengeluarkan Anda dari semua tempat dan menghapus nomor, aplikasi autentikator, dan sesi Anda dari layanan ini. Tindakan ini tidak dapat dibatalkan.
account-delete-confirm = Saya ingin menghapus akun saya
account-delete-button = Hapus akun saya
account-delete-needs-sign-in = Untuk menghapus akun, masuk lagi terlebih dahulu.
account-deleted-title = Akun Anda telah dihapus
account-deleted-lead = Nomor Anda dan semua yang disimpan bersamanya di sini sudah dihapus. Jika Anda masuk lagi, Anda mulai dari awal sebagai orang baru.
account-error-stale-change = Demi keamanan, masuk lagi sebelum mengganti nomor atau menghapus akun.
account-error-not-confirmed = Centang kotak untuk menegaskan bahwa Anda ingin menghapus akun.
account-error-phone-taken = Nomor ini sudah dimiliki akun lain.
