//! Accounts: who may log in, in which role, and what a password must be.

use serde::Serialize;
use std::fmt;

/// What an account may do. Roles are checked on the server for every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, and may do everything staff do.
    Admin,
    /// 地域包括支援センター・生活支援コーディネーター: adds, edits, publishes and archives places.
    Staff,
    /// リンクワーカー: searches near a client and prints a handout; writes nothing.
    Linkworker,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Staff, Role::Linkworker];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Linkworker => "linkworker",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// May add, edit, publish and archive places, and see drafts and history.
    pub fn edits_places(self) -> bool {
        matches!(self, Role::Admin | Role::Staff)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("a user name is 1 to 64 letters, digits, '.', '_' or '-'")]
    Username,
    #[error("a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    PasswordLength,
    #[error("that password is one of the most common ones; choose another")]
    CommonPassword,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Checks a user name: short, and plain enough to type and to appear in history.
pub fn check_username(name: &str) -> Result<(), AccountError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AccountError::Username)
    }
}

/// Checks a new password (OWASP ASVS: length over composition rules, and no common password).
/// Any character is allowed, Japanese included; length counts characters, not bytes.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(AccountError::PasswordLength);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.lines().any(|p| p == lower) {
        return Err(AccountError::CommonPassword);
    }
    Ok(())
}

/// Common passwords of 12 characters or more (from public breach lists), lower case.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_enough_and_not_common() {
        assert_eq!(check_password("short"), Err(AccountError::PasswordLength));
        assert_eq!(
            check_password("Password1234"),
            Err(AccountError::CommonPassword)
        );
        assert_eq!(check_password("ながばりのまちあるき2026"), Ok(()));
        assert_eq!(
            check_password(&"a".repeat(129)),
            Err(AccountError::PasswordLength)
        );
    }

    #[test]
    fn usernames_are_plain() {
        assert!(check_username("tanaka.h").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("田中").is_err());
        assert!(check_username("a b").is_err());
    }
}
