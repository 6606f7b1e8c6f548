//! AWS Query protocol parameters: `Action=...&Version=...&Name=value` form pairs,
//! lists as `Name.Member.N` (N from 1, the member name the model gives each list) and
//! structures in lists as `Name.Member.N.Field`.

use super::error::ApiError;
use std::collections::BTreeMap;

/// Most members a request list may have: bounds what a request can make us allocate.
const MAX_LIST_MEMBERS: usize = 1000;

#[derive(Debug, Default, Clone)]
pub struct Params {
    pairs: BTreeMap<String, String>,
}

impl Params {
    pub fn parse(form: &[u8]) -> Params {
        let mut pairs = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(form) {
            pairs.insert(k.into_owned(), v.into_owned());
        }
        Params { pairs }
    }

    pub fn merge(&mut self, other: Params) {
        for (k, v) in other.pairs {
            self.pairs.entry(k).or_insert(v);
        }
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.pairs.get(name).map(String::as_str)
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.str(name).map(str::to_string)
    }

    /// A required parameter: AWS answers `MissingParameter` when it is absent.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.str(name).ok_or_else(|| {
            ApiError::missing_parameter(format!("The request must contain the parameter {name}"))
        })
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(text) => text.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::invalid_parameter_value(format!(
                    "Value ({text}) for parameter {name} is invalid. It must be an integer."
                ))
            }),
        }
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(text) => Err(ApiError::invalid_parameter_value(format!(
                "Value ({text}) for parameter {name} is invalid. It must be a boolean."
            ))),
        }
    }

    /// Members of the list `name`, whose members are `name.member.N`, in index order.
    pub fn list(&self, name: &str, member: &str) -> Result<Vec<String>, ApiError> {
        let prefix = format!("{name}.{member}.");
        let mut items: Vec<(usize, String)> = Vec::new();
        for (key, value) in self.pairs.range(prefix.clone()..) {
            let Some(rest) = key.strip_prefix(&prefix) else {
                break;
            };
            if let Ok(index) = rest.parse::<usize>() {
                items.push((index, value.clone()));
            }
            if items.len() > MAX_LIST_MEMBERS {
                return Err(ApiError::invalid_parameter_value(format!(
                    "Too many members in {name}"
                )));
            }
        }
        items.sort_by_key(|(index, _)| *index);
        Ok(items.into_iter().map(|(_, v)| v).collect())
    }

    /// Structures in the list `name`: `name.member.N.Field = value`, one map per N.
    pub fn structs(
        &self,
        name: &str,
        member: &str,
    ) -> Result<Vec<BTreeMap<String, String>>, ApiError> {
        let prefix = format!("{name}.{member}.");
        let mut items: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
        for (key, value) in self.pairs.range(prefix.clone()..) {
            let Some(rest) = key.strip_prefix(&prefix) else {
                break;
            };
            let Some((index, field)) = rest.split_once('.') else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else {
                continue;
            };
            items
                .entry(index)
                .or_default()
                .insert(field.to_string(), value.clone());
            if items.len() > MAX_LIST_MEMBERS {
                return Err(ApiError::invalid_parameter_value(format!(
                    "Too many members in {name}"
                )));
            }
        }
        Ok(items.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_follow_member_names_and_index_order() {
        let p = Params::parse(
            b"SubnetIds.SubnetIdentifier.2=b&SubnetIds.SubnetIdentifier.1=a&SubnetIds.SubnetIdentifier.10=c&Other=x",
        );
        assert_eq!(
            p.list("SubnetIds", "SubnetIdentifier").unwrap(),
            ["a", "b", "c"]
        );
        assert!(p.list("SubnetIds", "member").unwrap().is_empty());
    }

    #[test]
    fn structures_in_lists() {
        let p = Params::parse(b"Tags.Tag.1.Key=k1&Tags.Tag.1.Value=v1&Tags.Tag.2.Key=k2");
        let tags = p.structs("Tags", "Tag").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0]["Value"], "v1");
        assert!(!tags[1].contains_key("Value"));
    }

    #[test]
    fn missing_and_malformed_values() {
        let p = Params::parse(b"NumCacheNodes=abc&Flag=TRUE");
        assert_eq!(p.required("X").unwrap_err().code, "MissingParameter");
        assert_eq!(
            p.int("NumCacheNodes").unwrap_err().code,
            "InvalidParameterValue"
        );
        assert_eq!(p.bool("Flag").unwrap(), Some(true));
    }
}
