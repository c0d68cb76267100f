//! The HTTP client built when the user does not bring one, with the TLS backend the crate's
//! features select.
//!
//! | feature | TLS | trusted roots |
//! |---|---|---|
//! | `rustls-webpki-roots` (default) | rustls (ring) | Mozilla's roots, compiled in (`webpki-roots`) |
//! | `rustls-platform-roots` | rustls (ring) | the operating system's store and verifier (corporate CAs work) |
//! | `native-tls` | the platform's TLS library (OpenSSL, Secure Transport, SChannel) | the platform's |
//! | none | none: bring a client with [`ClientBuilder::http_client`](super::ClientBuilder::http_client) | |
//!
//! When several are enabled, an explicit opt-in wins over the default: `native-tls`, then
//! `rustls-platform-roots`, then `rustls-webpki-roots`.

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

#[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder.tls_backend_preconfigured(rustls_config()?))
}

#[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder)
}

/// rustls with the ring provider (no process-wide provider is installed or required).
#[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
fn rustls_config() -> Result<rustls::ClientConfig, Error> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("failed to configure TLS: {e}")))?;
    let mut config = with_roots(builder)?.with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(all(feature = "rustls-platform-roots", not(feature = "native-tls")))]
fn with_roots(
    builder: rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier>,
) -> Result<rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert>, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    builder
        .with_platform_verifier()
        .map_err(|e| Error::Config(format!("failed to load the platform's TLS roots: {e}")))
}

#[cfg(all(
    feature = "rustls-webpki-roots",
    not(any(feature = "rustls-platform-roots", feature = "native-tls"))
))]
fn with_roots(
    builder: rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier>,
) -> Result<rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert>, Error> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    Ok(builder.with_root_certificates(roots))
}
