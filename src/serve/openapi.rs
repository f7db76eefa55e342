//! `GET /openapi.json`: the OpenAPI 3 document describing every endpoint and the error envelope,
//! written by hand in `openapi.json` beside this file.

use axum::http::header;
use axum::response::IntoResponse;

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /openapi.json`.
pub async fn get_openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::routes::ROUTES;

    #[test]
    fn documents_exactly_the_routes_the_router_has() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
        let paths = doc["paths"].as_object().unwrap();
        for (method, path) in ROUTES {
            let operation = &paths
                .get(*path)
                .unwrap_or_else(|| panic!("{path} is not documented"))[method.to_lowercase()];
            assert!(operation.is_object(), "{method} {path} is not documented");
        }
        let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
        assert_eq!(
            documented,
            ROUTES.len(),
            "documented operations that are not routes"
        );
        // Every documented error response uses the envelope.
        for (path, item) in paths {
            for (method, operation) in item.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(
                            response["content"]["application/json"]["schema"]["$ref"],
                            "#/components/schemas/Error",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
}
