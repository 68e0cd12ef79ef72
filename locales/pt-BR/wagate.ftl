# Textos do wagate para as pessoas, em português do Brasil (com "você").
# As chaves estão agrupadas por onde aparecem. Variáveis: { $client } o nome do portal,
# { $phone } um número de telefone como é exibido, { $n }/{ $minutes }/{ $seconds } números.

## Todas as páginas
brand-footer = Entre com seu telefone
footer-support = Ajuda
footer-privacy = Privacidade
footer-terms = Termos
language-switch = Idioma

## Etapa do telefone
phone-title = Entrar
phone-heading = Entrar
phone-lead = para continuar em { $client }
phone-locked = Seu código do autenticador foi confirmado. { $client } também precisa de um código do WhatsApp para este número.
phone-label = Seu número de telefone
phone-hint = Inclua o código do país. Vamos enviar um código de uso único pelo WhatsApp.
phone-submit = Enviar código pelo WhatsApp
phone-use-authenticator = Usar meu app autenticador em vez disso
phone-authenticator-code = Código do seu app autenticador
phone-authenticator-hint = Seis dígitos do Google Authenticator, Authy, 1Password ou similar, ou um dos seus códigos de recuperação.
phone-authenticator-submit = Entrar com o código do autenticador

## Etapa do código
code-title = Digite seu código
code-heading = Digite seu código
code-sent-whatsapp = Enviamos um código de { $length } dígitos pelo WhatsApp para { $phone }.
code-sent-sms = Enviamos um código de { $length } dígitos por SMS para { $phone }.
code-not-confirmed = Não conseguimos confirmar que o código chegou a { $phone }. Peça um novo abaixo.
code-delivered = A mensagem foi entregue no seu celular.
code-read = A mensagem foi aberta no seu celular.
code-failed = Não foi possível entregar a mensagem.
code-on-its-way = A mensagem está a caminho.
code-label = Código
code-expires = O código expira em { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}.
code-submit = Entrar
code-resend-countdown = Não recebeu o código? Você pode pedir um novo em
code-resend-refresh = Recarregue esta página quando o tempo acabar.
code-resend = Enviar um novo código
code-fallback-wait-sms = Não recebeu? Em { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
} você poderá receber o mesmo código por SMS.
code-fallback-wait-whatsapp = Não recebeu? Em { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
} você poderá receber o mesmo código pelo WhatsApp.
code-fallback-now = Não recebeu?
code-fallback-sms = Enviar por SMS
code-fallback-whatsapp = Enviar pelo WhatsApp
code-other-number = Usar outro número
code-other-number-submit = Enviar o código para esse número
code-resent = Enviamos um novo código para você. O código enviado antes não funciona mais.
code-fallback-sent-sms = Enviamos o mesmo código por SMS. O código do WhatsApp também funciona.
code-fallback-sent-whatsapp = Enviamos o mesmo código pelo WhatsApp. O código que você recebeu antes também funciona.

## Etapa do autenticador
totp-title = Código do autenticador
totp-heading = Só mais uma etapa
totp-lead = { $client } pede uma segunda verificação: o código do seu app autenticador.
totp-label = Código do autenticador
totp-hint = Seis dígitos do seu app. Perdeu o celular com o app? Digite um dos seus códigos de recuperação.
totp-submit = Entrar

## Escolher uma conta
choose-title = Escolha uma conta
choose-heading = Escolha uma conta
choose-lead = { $client } quer saber qual conta usar.
choose-continue = Continuar como { $phone }
choose-other = Usar outro número
choose-other-hint = Se você usar outro número, a sessão de { $phone } será encerrada neste dispositivo.

## Consentimento
consent-title = Permitir acesso
consent-heading = Permitir acesso a { $client }?
consent-lead = Você entrou como { $phone }. { $client } vai receber:
consent-identifier = um identificador que é sempre o mesmo quando você entra lá
consent-phone = seu número de telefone e a confirmação de que ele foi verificado
consent-offline = acesso que continua depois que você fecha o site, até você sair da sua conta lá
consent-allow = Permitir
consent-cancel = Cancelar

## Um portal exige app autenticador
authenticator-required-title = É preciso um app autenticador
authenticator-required-lead = { $client } precisa de um código de app autenticador além do código do WhatsApp, e você ainda não configurou nenhum.
authenticator-required-body = Seu código do WhatsApp estava certo, e você já entrou na sua conta aqui. Adicione um app autenticador (Google Authenticator, Authy, 1Password, Aegis...) na página da sua conta, depois volte para { $client } e entre de novo.
authenticator-required-setup = Configurar um app autenticador
authenticator-required-back = Voltar para { $client } sem entrar

## Sair
signed-out-title = Você saiu
signed-out-heading = Você saiu da sua conta
signed-out-lead = Você já pode fechar esta página.
logout-title = Sair
logout-heading = Sair da conta?
logout-asked-by = { $client } pediu para desconectar você.
logout-asked = Um site pediu para desconectar você.
logout-everywhere = Você vai sair de todos os sites que usam este login.
logout-submit = Sair
logout-stay = Continuar conectado

## Páginas de problema (título e o que fazer)
problem-stopped = Login interrompido
problem-stopped-advice = Você já pode fechar esta página.
problem-unavailable = Login indisponível
problem-unavailable-advice = Recarregue esta página daqui a pouco.
problem-missing = Está faltando algo
problem-missing-advice = Volte e tente de novo.
problem-wrong = Algo deu errado
problem-wrong-advice = Volte e tente de novo.
problem-not-found = Página não encontrada
problem-not-found-advice = Confira o link ou volte ao site de onde você veio.
problem-not-found-message = Não há nada neste endereço.

## Um campo que a pessoa deixou em branco
missing-phone = Digite seu número de telefone.
missing-choice = Escolha uma conta.
missing-decision = Escolha Permitir ou Cancelar.
missing-code = Digite o código.
invalid-channel = Escolha como enviar o código.

## Erros de login (páginas e error_description da API JSON)
error-flow-expired = Este login expirou ou já foi usado. Volte ao site e comece de novo.
error-wrong-browser = Este login foi iniciado em outro navegador. Volte ao site e comece de novo aqui.
error-csrf = Este formulário não foi enviado pela página de login. Recarregue a página e tente de novo.
error-wrong-step = Essa etapa não é possível agora.
error-invalid-phone = Isso não parece um número de telefone. Inclua o código do país, por exemplo: +1 415 555 0100.
error-country-not-allowed = Números deste país não podem entrar aqui.
error-type-not-allowed = Este tipo de número não pode receber códigos de login. Use um número de celular.
error-malformed-code = Digite o código exatamente como aparece na mensagem: só números.
error-wrong-number = Use o número que você já confirmou neste login.
error-phone-required = Digite seu número de telefone junto com o código do seu app autenticador.
error-authenticators-disabled = O login com app autenticador não está disponível aqui.
error-authenticator-required = Este site também precisa de um código de app autenticador, e você ainda não configurou nenhum.
error-too-many-wrong-codes = Muitos códigos de autenticador errados para este número. Entre com um código do WhatsApp ou espere uma hora.
error-wrong-code-last = Esse código não está certo, e essa era a última tentativa. Volte ao site e comece de novo.
error-wrong-code = Esse código não está certo. Confira a mensagem e tente de novo.
error-tries-left = { $n ->
    [one] Você tem mais uma tentativa.
   *[other] Você tem mais { $n } tentativas.
}
error-code-expired = Esse código expirou. Peça um novo.
error-resend-too-soon = Espere um pouco antes de pedir outro código.
error-send-limit = Muitos códigos foram enviados. Espere um pouco antes de tentar de novo.
error-challenge-required = O envio de códigos está sobrecarregado agora. Seu navegador fará uma verificação rápida e depois enviará o código.
error-challenge-failed = A verificação não funcionou. Tente de novo.
challenge-working = Verificando seu navegador antes de enviar o código…
challenge-noscript = Para evitar abusos deste serviço, enviar um código agora exige uma verificação rápida no seu navegador. Ative o JavaScript e tente de novo, ou volte mais tarde.
challenge-captcha = Conclua a verificação abaixo e toque no botão de novo.
error-too-many-logins = Muitas tentativas de login a partir da sua rede. Espere um minuto e tente de novo.
error-account-blocked = Esta conta não pode entrar. Se você acha que é um engano, fale com o serviço em que estava entrando.
error-not-deliverable = Não conseguimos enviar mensagens do WhatsApp para este número.
error-rate-limited = O serviço de mensagens está sobrecarregado. Espere um momento e peça o código de novo.
error-fallback-unavailable = Não é possível enviar este código de outra forma.
error-unavailable = Não conseguimos acessar o serviço de mensagens. Tente de novo daqui a pouco.
error-temporarily-unavailable = O login está indisponível no momento. Tente de novo daqui a pouco.
error-conflict = Outra solicitação alterou este login ao mesmo tempo. Recarregue a página e tente de novo.

## A mensagem que leva o código (para gateways que enviam texto)
code-message = { $code } é seu código de verificação. Ele expira em { $minutes ->
    [one] { $minutes } minuto
   *[other] { $minutes } minutos
}. Não compartilhe com ninguém.

## A página da sua conta
account-title = Sua conta
account-heading = Sua conta
account-signed-in-as = Você entrou como { $phone }
account-authenticator = App autenticador
account-recovery-intro = Seu app autenticador está ativo. Guarde estes códigos de recuperação em um lugar seguro, longe do seu celular. Cada um funciona uma única vez, no lugar de um código do autenticador. Eles só aparecem agora.
account-active = Você tem um app autenticador ativo: pode entrar com o código dele, e os sites que pedem dois fatores vão pedir esse código depois do código do WhatsApp.
account-recovery-left = { $n ->
    [one] Resta { $n } código de recuperação.
   *[other] Restam { $n } códigos de recuperação.
}
account-remove = Remover o app autenticador
account-remove-needs-sign-in = Para remover, primeiro entre de novo com um código do app (ou um código de recuperação).
account-sign-in-again = Entrar de novo
account-scan = Escaneie este código com seu app autenticador e digite os seis dígitos que ele mostrar.
account-qr-alt = QR code para seu app autenticador
account-manual-key = Não consegue escanear? Adicione uma conta manualmente com esta chave (baseada em tempo, 6 dígitos, a cada 30 segundos):
account-code-label = Código do app
account-confirm = Ativar o autenticador
account-offer = Entre com um código de um app autenticador (Google Authenticator, Authy, 1Password, Aegis...) em vez de esperar pelo WhatsApp, e proteja os sites que pedem dois fatores.
account-set-up = Configurar um app autenticador
account-set-up-needs-sign-in = Para configurar um, primeiro entre de novo.
account-sign-out = Sair
account-sign-in-lead = Entre para gerenciar seu app autenticador.
account-sign-in-link = Entrar com seu número de telefone
account-removed = O app autenticador foi removido. De agora em diante, entre com códigos do WhatsApp.
account-advice-back = Volte para a página da sua conta e tente de novo.
account-advice-site = Volte ao site de onde você veio.
account-advice-later = Tente de novo daqui a pouco.
account-advice-reload = Recarregue a página da sua conta e tente de novo.

## Erros da conta (a página e error_description da API JSON)
account-error-sign-in-first = Entre na sua conta primeiro.
account-error-stale = Para sua segurança, entre de novo antes de alterar seu app autenticador.
account-error-authenticator-login = Para remover seu app autenticador, entre de novo com um código dele (ou um código de recuperação).
account-error-already-active = Já existe um app autenticador ativo. Remova esse primeiro para usar outro.
account-error-not-active = Nenhum app autenticador está ativo.
account-error-no-enrollment = Não há nenhuma configuração de autenticador para confirmar (ela pode ter expirado). Comece de novo.
account-error-malformed-code = Digite os seis dígitos que seu app autenticador mostra.
account-error-wrong-code = Esse código não está certo. Confira o horário do seu celular e digite o código atual.
account-error-conflict = Outra solicitação alterou sua conta ao mesmo tempo. Recarregue a página e tente de novo.
account-error-unavailable = Sua conta está indisponível no momento. Tente de novo daqui a pouco.
account-error-disabled = Apps autenticadores não estão disponíveis aqui.
account-error-csrf = Este formulário não foi enviado pela página da sua conta.

## Outras páginas de problema
authorize-invalid = Esta solicitação de login não é válida
authorize-invalid-link = Este link de login não é válido
authorize-advice = Volte ao site de onde você veio e tente de novo.
authorize-advice-report = Volte ao site de onde você veio e tente de novo. Se continuar acontecendo, avise os responsáveis pelo site.
logout-failed = Não foi possível sair
logout-failed-advice = Volte ao site de onde você veio.
logout-unavailable = Não é possível sair no momento. Tente de novo daqui a pouco.
body-too-large = A solicitação é grande demais.
body-unreadable = Não foi possível ler a solicitação.
body-too-slow = A solicitação demorou demais para chegar.
body-media-type = Envie application/json ou um formulário.
body-not-object = O corpo deve ser um objeto JSON.
body-not-form = A solicitação deve ser o envio de um formulário.

## O seletor de idioma: o nome de cada idioma na própria língua
language-name = Português (Brasil)

## The country of the phone form
country-label = País
country-none = Outro país: digite o número com + e o código
country-example = Por exemplo { $example }. Vamos enviar um código de uso único pelo WhatsApp.

## Where to look, and a page's title when something is wrong
title-error = Erro:
code-look-for = Procure uma mensagem de { $sender } no WhatsApp.
code-open-whatsapp = Abrir o WhatsApp

## The ways out of a login that has ended
ways-start-again = Começar de novo
ways-back = Voltar para { $client }

## Setting up an authenticator app
account-open-app = Adicionar a um app autenticador neste celular
account-download-codes = Baixar os códigos como arquivo de texto
account-codes-kept = Guardei meus códigos de recuperação em um lugar seguro
account-continue = Continuar
error-wrong-app-code = Esse código não está certo. Digite o código que o app autenticador mostra agora.

## Somewhere to go after signing out
signed-out-account = Sua conta

# The account page: the number, the sessions, deleting the account.
account-number = Número de telefone
account-number-label = Novo número de telefone
account-number-send = Enviar um código para o novo número
account-number-code = Digite o código que enviamos para { $phone } pelo WhatsApp.
account-number-code-again = Digite o código que enviamos para o seu novo número.
account-number-code-label = Código
account-number-confirm = Usar este número
account-number-changed = Seu número agora é { $phone }.
account-number-needs-sign-in = Para trocar seu número, entre de novo primeiro.
account-sessions = Onde você está conectado
account-session-current = este navegador
account-end-others = Sair de todos os outros lugares
account-ended-others = { $n ->
    [0] Não havia outra sessão aberta.
    [one] Uma outra sessão foi encerrada.
   *[other] { $n } outras sessões foram encerradas.
}
account-delete = Excluir sua conta
account-delete-offer = Isso desconecta você de todos os lugares e remove deste serviço seu número, seu aplicativo autenticador e suas sessões. Não pode ser desfeito.
account-delete-confirm = Quero excluir minha conta
account-delete-button = Excluir minha conta
account-delete-needs-sign-in = Para excluir sua conta, entre de novo primeiro.
account-deleted-title = Sua conta foi excluída
account-deleted-lead = Seu número e tudo o que era guardado com ele aqui foram apagados. Se entrar de novo, você começa do zero como outra pessoa.
account-error-stale-change = Para sua segurança, entre de novo antes de trocar seu número ou excluir sua conta.
account-error-not-confirmed = Marque a caixa para confirmar que deseja excluir sua conta.
account-error-phone-taken = Este número já pertence a outra conta.
