//! Bearer-token check for the write routes: writes are off unless a token is configured.

use crate::error::ApiError;
use axum::http::{header, HeaderMap, StatusCode};

/// Allow the request only when a token is configured and the `Authorization: Bearer …` header carries it.
pub fn require_token(configured: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = configured else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes_disabled",
            "this server has no API token configured (start it with --token-file), so it accepts no writes",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    match given {
        Some(t) if same(t.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "wrong API token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing `authorization: bearer <token>` header",
        )),
    }
}

/// Compare without an early exit, so the time taken does not tell how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn token_rules() {
        assert_eq!(require_token(None, &with("Bearer s3cret")).unwrap_err().code, "writes_disabled");
        assert!(require_token(Some("s3cret"), &with("Bearer s3cret")).is_ok());
        assert_eq!(require_token(Some("s3cret"), &with("Bearer s3cre")).unwrap_err().code, "unauthorized");
        assert_eq!(require_token(Some("s3cret"), &with("Basic s3cret")).unwrap_err().code, "unauthorized");
        assert_eq!(require_token(Some("s3cret"), &HeaderMap::new()).unwrap_err().status, StatusCode::UNAUTHORIZED);
    }
}
