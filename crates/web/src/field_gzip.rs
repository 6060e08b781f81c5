//! Compression of a field laptop's sync (issue 16): a laptop on a slow
//! link (256 kbit/s, often less) sends its changes and takes the server's
//! as gzip, about a fifth of the bytes of the JSON. Only the field
//! routes: elsewhere the links are fast, and each request would pay the
//! compression's CPU for nothing.

use crate::error::WebError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Read;

/// Most bytes a request may hold, compressed or opened: the server's
/// limit for any request body (a sync of 500 operations is well under
/// it). A small file that opens into gigabytes is refused, never opened
/// whole.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// Most bytes of an answer compressed (a checkout of a whole district);
/// larger answers go as they are.
const MAX_TO_COMPRESS: usize = 256 * 1024 * 1024;

/// Opens a gzip request body, and compresses a successful answer for a
/// caller that accepts gzip.
pub async fn gzip_field(req: Request, next: Next) -> Response {
    let accepts_gzip = req
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|e| e.trim().split(';').next() == Some("gzip"))
        });
    let req = match open_request(req).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let answer = next.run(req).await;
    // Successes only: errors are a few bytes, and the error layer outside
    // rewrites some of them (a rejected query) whole, headers kept.
    if !accepts_gzip
        || !answer.status().is_success()
        || answer.headers().contains_key(header::CONTENT_ENCODING)
    {
        return answer;
    }
    let (mut parts, body) = answer.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TO_COMPRESS).await else {
        return WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the answer could not be read",
        )
        .into_response();
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let packed = std::io::Write::write_all(&mut gz, &bytes).and_then(|()| gz.finish());
    let Ok(packed) = packed else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    Response::from_parts(parts, Body::from(packed))
}

async fn open_request(req: Request) -> Result<Request, WebError> {
    let encoding = req
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => return Ok(req),
        Some("gzip") => {}
        Some(_) => {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_encoding",
                "send the body as it is or compressed with gzip",
            ))
        }
    }
    let (mut parts, body) = req.into_parts();
    let packed = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the request is larger than this server takes",
        )
    })?;
    let mut opened = Vec::new();
    flate2::read::GzDecoder::new(&packed[..])
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut opened)
        .map_err(|_| {
            WebError::new(
                StatusCode::BAD_REQUEST,
                "bad_encoding",
                "the body is not valid gzip",
            )
        })?;
    if opened.len() > MAX_BODY {
        return Err(WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the request opens into more than 2 MB: send fewer operations at once",
        ));
    }
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Request::from_parts(parts, Body::from(Bytes::from(opened))))
}
