//! Accounts, passwords and sessions.
//!
//! Passwords are hashed with argon2id (RustCrypto `argon2`, OWASP's parameters: m = 19 MiB,
//! t = 2, p = 1), always off the async threads. A session is a random 256-bit token in an
//! HttpOnly cookie; the database keeps only its SHA-256, so a copy of the database opens no
//! session. Every request that carries a session looks it up in the database, so a disabled
//! account or a changed password takes effect at once in every process and replica.
//!
//! Failed logins are counted per account and per client address (in this process): each
//! failure is answered a little later than the one before, and past a limit the account or
//! address is refused for a while (429 with `Retry-After`) before any password is checked.

use crate::domain::Role;
use crate::domain::account::{self, AccountError};
use crate::store::{AccountRecord, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How long sessions live and how hard failed logins are held back.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// A session unused for this long ends.
    pub idle: Duration,
    /// A session ends this long after login, used or not.
    pub absolute: Duration,
    /// Failed logins for one account before it is refused for `lockout`.
    pub account_failures: u32,
    /// Failed logins from one address before it is refused for `lockout`.
    pub address_failures: u32,
    pub lockout: Duration,
    /// Each failure is answered this much later than the one before (up to 5 steps).
    pub failure_delay: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(2 * 60 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
            account_failures: 5,
            address_failures: 20,
            lockout: Duration::from_secs(15 * 60),
            failure_delay: Duration::from_millis(250),
        }
    }
}

/// Someone logged in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub username: String,
    pub role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("user name or password is wrong")]
    WrongCredentials,
    #[error("too many failed logins; try again in {0:?}")]
    Throttled(Duration),
    #[error("no account named {0:?}")]
    UnknownAccount(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Accounts {
    store: Arc<dyn Store>,
    config: AuthConfig,
    failures: Mutex<HashMap<FailureKey, Failures>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FailureKey {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Accounts {
    pub fn new(store: Arc<dyn Store>, config: AuthConfig) -> Self {
        Self {
            store,
            config,
            failures: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// Creates an account after checking the name and the password.
    pub async fn add(&self, username: &str, role: Role, password: &str) -> Result<(), AuthError> {
        account::check_username(username)?;
        account::check_password(password)?;
        let password_hash = hash_password(password.to_owned()).await;
        self.store
            .create_account(&AccountRecord {
                username: username.to_owned(),
                role,
                password_hash,
                disabled: false,
                created_at: OffsetDateTime::now_utc()
                    .replace_nanosecond(0)
                    .expect("0 ns"),
            })
            .await?;
        Ok(())
    }

    /// Sets a new password; every session of the account ends.
    pub async fn set_password(&self, username: &str, password: &str) -> Result<(), AuthError> {
        account::check_password(password)?;
        let password_hash = hash_password(password.to_owned()).await;
        if !self.store.set_password(username, &password_hash).await? {
            return Err(AuthError::UnknownAccount(username.to_owned()));
        }
        Ok(())
    }

    /// Disables an account; every session of the account ends at once.
    pub async fn disable(&self, username: &str) -> Result<(), AuthError> {
        if !self.store.disable_account(username).await? {
            return Err(AuthError::UnknownAccount(username.to_owned()));
        }
        Ok(())
    }

    /// Checks a password and opens a session; returns the user and the session token.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<(User, String), AuthError> {
        let keys = [
            FailureKey::Account(username.to_owned()),
            FailureKey::Address(address),
        ];
        // Refuse before hashing, so that a flood of guesses costs no CPU.
        if let Some(wait) = self.locked_for(&keys) {
            return Err(AuthError::Throttled(wait));
        }
        let account = self.store.account(username).await?;
        // An unknown name is checked against a fixed hash, so that it takes as long as a
        // known one and names cannot be probed by timing.
        let hash = account
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |a| a.password_hash.clone());
        let matches = verify_password(password.to_owned(), hash).await;
        match account {
            Some(a) if matches && !a.disabled => {
                self.failures
                    .lock()
                    .remove(&FailureKey::Account(username.to_owned()));
                let token = new_token();
                let now = OffsetDateTime::now_utc().unix_timestamp();
                self.store
                    .create_session(&token_hash(&token), &a.username, now)
                    .await?;
                Ok((
                    User {
                        username: a.username,
                        role: a.role,
                    },
                    token,
                ))
            }
            _ => {
                let count = self.record_failure(&keys);
                let steps = count.min(5);
                tokio::time::sleep(self.config.failure_delay * steps).await;
                Err(AuthError::WrongCredentials)
            }
        }
    }

    /// The user a session token belongs to, if the session is alive. Ends it if it expired.
    pub async fn user(&self, token: &str) -> Result<Option<User>, StoreError> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let idle = now - session.last_seen_at;
        let age = now - session.created_at;
        if session.disabled
            || idle >= self.config.idle.as_secs() as i64
            || age >= self.config.absolute.as_secs() as i64
        {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        // Record use at most once a minute (staff requests should not each write), and often
        // enough that the idle limit is judged to within half of itself.
        let record_every = (self.config.idle / 2).min(Duration::from_secs(60));
        if idle >= record_every.as_secs() as i64 {
            self.store.touch_session(&hash, now).await?;
        }
        Ok(Some(User {
            username: session.username,
            role: session.role,
        }))
    }

    pub async fn logout(&self, token: &str) -> Result<(), StoreError> {
        self.store.delete_session(&token_hash(token)).await
    }

    fn locked_for(&self, keys: &[FailureKey]) -> Option<Duration> {
        let mut failures = self.failures.lock();
        let now = Instant::now();
        failures.retain(|_, f| now.duration_since(f.last) < self.config.lockout);
        keys.iter()
            .filter_map(|k| {
                let f = failures.get(k)?;
                let limit = match k {
                    FailureKey::Account(_) => self.config.account_failures,
                    FailureKey::Address(_) => self.config.address_failures,
                };
                (f.count >= limit).then(|| self.config.lockout - now.duration_since(f.last))
            })
            .max()
    }

    /// Counts a failure for each key; returns the highest count.
    fn record_failure(&self, keys: &[FailureKey]) -> u32 {
        let mut failures = self.failures.lock();
        let now = Instant::now();
        keys.iter()
            .map(|k| {
                let f = failures.entry(k.clone()).or_insert(Failures {
                    count: 0,
                    last: now,
                });
                f.count += 1;
                f.last = now;
                f.count
            })
            .max()
            .unwrap_or(0)
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on a blocking thread (about 25 ms of CPU).
pub async fn hash_password(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password_now(&password))
        .await
        .expect("hashing does not panic")
}

fn hash_password_now(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS has randomness");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password_now("no account has this password"));

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_password_now("まちあるき が 好きです 2026");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            argon2()
                .verify_password("まちあるき が 好きです 2026".as_bytes(), &parsed)
                .is_ok()
        );
        assert!(argon2().verify_password(b"wrong", &parsed).is_err());
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
