//! AWS Signature Version 4: which account and region a request acts in, and, when
//! the control plane is given credentials, whether the signature is right.
//!
//! Like other AWS emulators, any access key is accepted by default: a 12-digit access
//! key id is taken as the account id, any other selects the default account.

use super::error::ApiError;
use crate::model::Scope;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub access_key: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

pub fn parse_authorization(header: &str) -> Result<Authorization<'_>, ApiError> {
    let incomplete = || {
        ApiError::incomplete_signature(format!(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={header}"
        ))
    };
    let rest = header
        .strip_prefix("AWS4-HMAC-SHA256")
        .ok_or_else(incomplete)?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let (credential, signed, signature) = match (credential, signed, signature) {
        (Some(c), Some(s), Some(g)) => (c, s, g),
        _ => return Err(incomplete()),
    };
    let mut scope = credential.split('/');
    let (Some(access_key), Some(date), Some(region), Some(service), Some("aws4_request")) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(incomplete());
    };
    Ok(Authorization {
        access_key,
        date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

pub fn scope_for(auth: Option<&Authorization<'_>>, default_region: &str) -> Scope {
    let account = match auth {
        Some(a) if a.access_key.len() == 12 && a.access_key.bytes().all(|b| b.is_ascii_digit()) => {
            a.access_key.to_string()
        }
        _ => DEFAULT_ACCOUNT.to_string(),
    };
    let region = auth
        .map(|a| a.region.to_string())
        .unwrap_or_else(|| default_region.to_string());
    Scope { account, region }
}

/// What a signature is computed over.
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    /// Header (lower-case name, value) pairs of the request.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The signature the request should carry if signed with `secret`.
pub fn expected_signature(
    auth: &Authorization<'_>,
    request: &SignedRequest<'_>,
    secret: &str,
) -> String {
    let header = |name: &str| {
        request
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(",")
    };
    let canonical_headers: String = auth
        .signed_headers
        .iter()
        .map(|name| format!("{name}:{}\n", header(name)))
        .collect();
    let payload_hash = hex::encode(Sha256::digest(request.body));
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        uri_encode(
            if request.path.is_empty() {
                "/"
            } else {
                request.path
            },
            true
        ),
        canonical_query(request.query),
        canonical_headers,
        auth.signed_headers.join(";"),
        payload_hash
    );
    let amz_date = header("x-amz-date");
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, string_to_sign.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    #[test]
    fn parses_the_credential_scope() {
        let auth = parse_authorization(HEADER).unwrap();
        assert_eq!(auth.access_key, "AKIDEXAMPLE");
        assert_eq!(auth.region, "us-east-1");
        assert_eq!(auth.signed_headers, ["host", "x-amz-date"]);
        assert_eq!(scope_for(Some(&auth), "x").account, DEFAULT_ACCOUNT);
        assert!(parse_authorization("AWS4-HMAC-SHA256 Credential=a").is_err());
    }

    /// AWS's published SigV4 test suite case `get-vanilla-query-order-key-case`.
    #[test]
    fn matches_the_aws_test_suite() {
        let auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        )
        .unwrap();
        let headers = vec![
            ("host".to_string(), "example.amazonaws.com".to_string()),
            ("x-amz-date".to_string(), "20150830T123600Z".to_string()),
        ];
        let request = SignedRequest {
            method: "GET",
            path: "/",
            query: "Param2=value2&Param1=value1",
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            expected_signature(&auth, &request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            auth.signature
        );
    }
}
