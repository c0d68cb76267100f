//! The HTTP client built when the user does not bring one, with the TLS backend the crate's
//! features select.
//!
//! | feature | TLS | trusted roots |
//! |---|---|---|
//! | `rustls-webpki-roots` (default) | rustls (aws-lc-rs) | Mozilla's roots, compiled in (`webpki-roots`) |
//! | `rustls-platform-roots` | rustls (aws-lc-rs) | the operating system's store and verifier (corporate CAs work) |
//! | `native-tls` | the platform's TLS library (OpenSSL, Secure Transport, SChannel) | the platform's |
//! | none | none: bring a client with [`ClientBuilder::http_client`](super::ClientBuilder::http_client) | |
//!
//! When several are enabled, an explicit opt-in wins over the default: `native-tls`, then
//! `rustls-platform-roots`, then `rustls-webpki-roots`. The rustls features enable reqwest's own
//! `rustls` feature (with its crypto provider), so a `reqwest::Client` built elsewhere in the
//! program keeps working.

use std::time::Duration;

use super::error::Error;

/// Whether the crate was compiled with a TLS backend (otherwise only `http://` URLs work
/// without an injected client).
pub(crate) const HAS_TLS: bool = cfg!(any(feature = "_rustls", feature = "native-tls"));

/// A client that returns redirects instead of following them (signed download URLs are
/// answers, not hops) and bounds the connection time.
pub(crate) fn default_client(connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout);
    with_tls(builder)?
        .build()
        .map_err(|e| Error::Config(format!("failed to build the HTTP client: {e}")))
}

#[cfg(feature = "native-tls")]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_native())
}

/// reqwest's own rustls setup verifies with the platform's verifier and roots.
#[cfg(all(
    feature = "_rustls",
    not(feature = "native-tls"),
    any(
        feature = "rustls-platform-roots",
        not(feature = "rustls-webpki-roots")
    )
))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_rustls())
}

#[cfg(all(
    feature = "rustls-webpki-roots",
    not(any(feature = "rustls-platform-roots", feature = "native-tls"))
))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_preconfigured(webpki_roots_config()?))
}

#[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder)
}

/// rustls (aws-lc-rs, reqwest's provider) trusting only the compiled-in Mozilla roots.
#[cfg(all(
    feature = "rustls-webpki-roots",
    not(any(feature = "rustls-platform-roots", feature = "native-tls"))
))]
fn webpki_roots_config() -> Result<rustls::ClientConfig, Error> {
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("failed to configure TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
