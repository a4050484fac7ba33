//! One typed configuration for the server, filled from command-line flags and environment
//! variables (see `cli`).

use std::net::SocketAddr;

/// A base-map layer the web pages offer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TileLayer {
    pub name: String,
    /// URL template with `{z}`, `{x}`, `{y}`.
    pub url: String,
    pub attribution: String,
    pub attribution_url: String,
}

impl TileLayer {
    /// 地理院タイル (標準地図), the default base map; its terms require this attribution.
    pub fn gsi() -> Self {
        Self {
            name: "地理院タイル".into(),
            url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into(),
            attribution: "地理院タイル".into(),
            attribution_url: "https://maps.gsi.go.jp/development/ichiran.html".into(),
        }
    }

    pub fn openstreetmap() -> Self {
        Self {
            name: "OpenStreetMap".into(),
            url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors".into(),
            attribution_url: "https://www.openstreetmap.org/copyright".into(),
        }
    }

    /// `scheme://host[:port]` of the template, for the Content-Security-Policy.
    pub fn origin(&self) -> Option<String> {
        let (scheme, rest) = self.url.split_once("://")?;
        let host = rest.split('/').next()?;
        let ok = matches!(scheme, "http" | "https")
            && !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]{}".contains(c));
        ok.then(|| format!("{scheme}://{host}"))
    }
}

/// What the HTTP layer needs to know.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The URL clients reach the service at (`https://map.example.jp`), for absolute links.
    /// Without it, links are built from the request's `Host` header over plain HTTP.
    pub public_url: Option<String>,
    pub tile_layers: Vec<TileLayer>,
    /// Session lifetimes and login throttling.
    pub auth: crate::accounts::AuthConfig,
    /// How long a write may wait for a client that reads nothing before its connection is
    /// closed (see `http::write_timeout`).
    pub write_timeout: std::time::Duration,
    /// How many answers of a megabyte or more may be in flight at once; more answer 503.
    pub large_answers: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            tile_layers: vec![TileLayer::gsi(), TileLayer::openstreetmap()],
            auth: crate::accounts::AuthConfig::default(),
            write_timeout: std::time::Duration::from_secs(30),
            large_answers: 16,
        }
    }
}

impl HttpConfig {
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Without a public URL, every link's origin comes from the request's `Host` header,
    /// which anyone can forge: fine on a developer's machine, not on a network.
    pub fn public_url_warning(&self, listen: SocketAddr) -> Option<String> {
        (self.public_url.is_none() && !listen.ip().is_loopback()).then(|| {
            format!(
                "serving on {listen} without --public-url: API links take their origin from \
                 each request's Host header, which clients can forge (and caches can keep). \
                 Set --public-url (TSUNAGARI_PUBLIC_URL) to the address residents use."
            )
        })
    }

    pub fn tile_origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = self
            .tile_layers
            .iter()
            .filter_map(TileLayer::origin)
            .collect();
        origins.dedup();
        // Subdomain templates such as https://{s}.tile… become a wildcard source.
        origins.iter().map(|o| o.replace("{s}", "*")).collect()
    }
}

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// `sqlite://FILE`.
    pub database: String,
    /// Load the sample Nabari data into an empty database.
    pub load_sample: bool,
    /// How long a client may take to send a request's headers before its connection is
    /// closed, so that clients trickling bytes cannot hold connections (and file
    /// descriptors) for ever.
    pub header_read_timeout: std::time::Duration,
    pub http: HttpConfig,
    pub readings: ReadingsConfig,
}

/// Where the readings of names and query words come from (see [`crate::readings`]). The
/// default is none: search on `name_kana` alone.
#[derive(Debug, Clone, Default)]
pub struct ReadingsConfig {
    /// The directory of IPADIC's sources; `None` for no readings.
    pub dictionary: Option<std::path::PathBuf>,
    /// Where the compiled dictionary is kept between starts; `None` to compile it every time.
    pub cache: Option<std::path::PathBuf>,
}

pub const DEFAULT_HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_reachable_beyond_loopback_without_public_url_is_warned_about() {
        let dev = HttpConfig::default();
        assert!(
            dev.public_url_warning("127.0.0.1:8080".parse().unwrap())
                .is_none()
        );
        assert!(
            dev.public_url_warning("[::1]:8080".parse().unwrap())
                .is_none()
        );
        let warning = dev.public_url_warning("0.0.0.0:8080".parse().unwrap());
        assert!(warning.is_some_and(|w| w.contains("--public-url")));
        let configured = HttpConfig {
            public_url: Some("https://map.example.jp".into()),
            ..HttpConfig::default()
        };
        assert!(
            configured
                .public_url_warning("0.0.0.0:8080".parse().unwrap())
                .is_none()
        );
    }
}
