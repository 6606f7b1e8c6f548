//! Typed key lookups shared by the collection commands.

use crate::commands::strings::Replied;
use crate::errors;
use ferrocache_keyspace::{Item, Typed};
use ferrocache_protocol::Reply;

/// The `T` a looked-up item holds: `None` when the key is missing; replies WRONGTYPE
/// and returns `Err` when the key holds another type.
pub fn checked<'k, T: Typed>(
    item: Option<&'k mut Item>,
    out: &mut Reply,
) -> Result<Option<&'k mut T>, Replied> {
    match item {
        None => Ok(None),
        Some(item) => match item.collection_as_mut::<T>() {
            Some(value) => Ok(Some(value)),
            None => {
                out.error(errors::WRONGTYPE);
                Err(Replied)
            }
        },
    }
}
