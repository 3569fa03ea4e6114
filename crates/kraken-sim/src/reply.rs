//! The few kinds of HTTP answer the simulator writes by hand: JSON bodies, and the HTML error
//! pages a web server or gateway in front of Kraken would send.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

fn with_type(status: StatusCode, body: String, content_type: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    with_type(status, body.to_string(), "application/json")
}

/// An HTML page.
pub(crate) fn html(status: StatusCode, page: String) -> Response {
    with_type(status, page, "text/html; charset=utf-8")
}

/// A web server's error page for `status`.
pub(crate) fn error_page(status: StatusCode) -> Response {
    let reason = match status.as_u16() {
        401 => "Authorization Required",
        other => status.canonical_reason().unwrap_or(if other >= 500 {
            "Server Error"
        } else {
            "Error"
        }),
    };
    html(
        status,
        format!(
            "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n",
            code = status.as_u16()
        ),
    )
}
