//! The fake WhatsApp Cloud API over HTTP: the Graph API's send route around
//! [`FakeWhatsApp`], and the poster that signs its status webhooks and posts them to wagate as
//! Meta would (from tasks of their own, never holding up the send's answer).

use crate::whatsapp::{FakeWhatsApp, Reply, Step, hub_signature};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// `/v21.0/{phone_number_id}/messages`, for any Graph API version.
const SEND_ROUTE: &str = r"/{version:v\d+\.\d+}/{phone_number_id}/messages";

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn send(
    path: web::Path<(String, String)>,
    req: HttpRequest,
    body: web::Bytes,
    fake: web::Data<Arc<FakeWhatsApp>>,
) -> HttpResponse {
    let (_version, phone_number_id) = path.into_inner();
    let answer = fake.handle(
        &phone_number_id,
        header(&req, "authorization"),
        header(&req, "content-type"),
        &body,
    );
    if let Some(id) = answer.message_id
        && !answer.steps.is_empty()
    {
        tokio::spawn(post_in_turn(fake.get_ref().clone(), id, answer.steps));
    }
    respond(answer.reply)
}

fn respond(reply: Reply) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(reply.status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(reply.body.to_string())
}

/// Posts one message's statuses in order, each at its time after the message was accepted.
async fn post_in_turn(fake: Arc<FakeWhatsApp>, id: String, steps: Vec<Step>) {
    let accepted = tokio::time::Instant::now();
    for step in steps {
        tokio::time::sleep_until(accepted + step.after).await;
        let result = fake.post_status(&id, step.status, step.error_code).await;
        fake.record_posted(&id, step.status, result);
    }
}

/// One client for every post. It keeps no idle connections: the posts come from the worker
/// threads' runtimes and from the tests' own, and a pooled connection belongs to one of them.
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

/// The error and its causes, for a person reading why a post failed.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl FakeWhatsApp {
    /// Posts one signed status webhook for message `id` to the callback now and returns the
    /// HTTP status wagate answered. `status`: "sent" | "delivered" | "read" | "failed";
    /// `error_code`: for "failed" (e.g. 131026), put into statuses[0].errors.
    pub async fn post_status(
        &self,
        id: &str,
        status: &str,
        error_code: Option<i64>,
    ) -> Result<u16, String> {
        let url = self
            .callback_url()
            .ok_or_else(|| "no callback URL is set".to_owned())?;
        let body = self.status_body(id, status, error_code);
        let signature = hub_signature(self.app_secret(), &body);
        let response = client()
            .post(url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .header("user-agent", "facebookexternalua")
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        Ok(response.status().as_u16())
    }
}

/// Serves `fake` on `listener` until the returned server is stopped or dropped.
pub fn serve_fake_whatsapp(
    listener: TcpListener,
    fake: Arc<FakeWhatsApp>,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new(fake);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route(SEND_ROUTE, web::post().to(send))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatsapp::FakeWhatsAppSettings;
    use crate::whatsapp::tests::{APP_SECRET, PHONE_NUMBER_ID, TOKEN, send_body, settings};
    use serde_json::Value;
    use std::sync::Mutex;
    use wagate_storage::Secret;

    type Seen = web::Data<Mutex<Vec<String>>>;

    /// wagate's side, reduced to what the test needs: check the signature, note the status.
    async fn receive(req: HttpRequest, body: web::Bytes, seen: Seen) -> HttpResponse {
        let expected = hub_signature(&Secret::new(APP_SECRET), &body);
        if header(&req, "x-hub-signature-256") != Some(expected.as_str())
            || header(&req, "content-type") != Some("application/json")
        {
            return HttpResponse::Unauthorized().finish();
        }
        let body: Value = serde_json::from_slice(&body).unwrap();
        let status = &body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"];
        seen.lock()
            .unwrap()
            .push(status.as_str().unwrap().to_owned());
        HttpResponse::Ok().finish()
    }

    fn start_receiver(seen: Seen) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks/whatsapp", listener.local_addr().unwrap());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(seen.clone())
                .route("/hooks/whatsapp", web::post().to(receive))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        url
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_send_over_http_is_followed_by_signed_sent_and_delivered() {
        let seen: Seen = web::Data::new(Mutex::new(Vec::new()));
        let callback = start_receiver(seen.clone());
        let fake = Arc::new(FakeWhatsApp::new(FakeWhatsAppSettings {
            callback_url: Some(callback.clone()),
            status_delay: Some(Duration::from_millis(20)),
            ..settings()
        }));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve_fake_whatsapp(listener, fake.clone()).unwrap());

        let http = reqwest::Client::new();
        let response = http
            .post(format!("http://{addr}/v21.0/{PHONE_NUMBER_ID}/messages"))
            .bearer_auth(TOKEN)
            .json(&send_body("447911123456", "123456"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().await.unwrap();
        let id = answer["messages"][0]["id"].as_str().unwrap();
        assert_eq!(fake.last_message("+447911123456").unwrap().id, id);

        let wait = Duration::from_secs(10);
        assert_eq!(fake.wait_posted(id, "sent", wait).await, Some(200));
        assert_eq!(fake.wait_posted(id, "delivered", wait).await, Some(200));
        assert_eq!(*seen.lock().unwrap(), ["sent", "delivered"]);

        // The receiver does check: a body signed with another secret is refused.
        let body = fake.status_body(id, "read", None);
        let forged = http
            .post(&callback)
            .header("content-type", "application/json")
            .header(
                "x-hub-signature-256",
                hub_signature(&Secret::new("another secret"), &body),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
        assert_eq!(fake.post_status(id, "read", None).await, Ok(200));
    }

    #[tokio::test]
    async fn a_wrong_version_is_not_the_send_route() {
        let fake = Arc::new(FakeWhatsApp::new(settings()));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve_fake_whatsapp(listener, fake.clone()).unwrap());
        let response = reqwest::Client::new()
            .post(format!("http://{addr}/21.0/{PHONE_NUMBER_ID}/messages"))
            .bearer_auth(TOKEN)
            .json(&send_body("447911123456", "123456"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(fake.requests(), 0);
    }
}
