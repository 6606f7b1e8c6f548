//! The durable metadata store: one SQLite database file in the data directory
//! (embedded, nothing to install). This module owns every database access.
//!
//! Resources are stored as JSON documents keyed by (scope, kind, id), so adding a
//! field to a resource needs no migration; tables and indexes are created by the
//! numbered migrations below, applied at start-up (`PRAGMA user_version`).

use crate::model::{Event, Scope};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("stored document: {0}")]
    Document(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Kinds of stored resources.
pub mod kind {
    pub const CACHE_CLUSTER: &str = "cache-cluster";
    pub const SUBNET_GROUP: &str = "cache-subnet-group";
    pub const PARAMETER_GROUP: &str = "cache-parameter-group";
}

const MIGRATIONS: &[&str] = &[
    // 1: resources, events, tags.
    "CREATE TABLE resources (
         scope TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
         PRIMARY KEY (scope, kind, id));
     CREATE TABLE events (
         seq INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL,
         source_type TEXT NOT NULL, source_id TEXT NOT NULL, message TEXT NOT NULL,
         date_ms INTEGER NOT NULL);
     CREATE INDEX events_by_scope ON events (scope, date_ms);
     CREATE TABLE tags (
         arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, position INTEGER NOT NULL,
         PRIMARY KEY (arn, key));",
];

pub struct Store {
    db: Connection,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        let db = Connection::open(path)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        let mut store = Store { db };
        store.migrate()?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            db: Connection::open_in_memory()?,
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: usize = self
            .db
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.db.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn get<T: DeserializeOwned>(
        &self,
        scope: &Scope,
        kind: &str,
        id: &str,
    ) -> Result<Option<T>> {
        let body: Option<String> = self
            .db
            .query_row(
                "SELECT body FROM resources WHERE scope = ?1 AND kind = ?2 AND id = ?3",
                params![scope.key(), kind, id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(match body {
            Some(body) => Some(serde_json::from_str(&body)?),
            None => None,
        })
    }

    pub fn put<T: Serialize>(&self, scope: &Scope, kind: &str, id: &str, value: &T) -> Result<()> {
        let body = serde_json::to_string(value)?;
        self.db.execute(
            "INSERT INTO resources (scope, kind, id, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (scope, kind, id) DO UPDATE SET body = excluded.body",
            params![scope.key(), kind, id, body],
        )?;
        Ok(())
    }

    pub fn delete(&self, scope: &Scope, kind: &str, id: &str) -> Result<bool> {
        let n = self.db.execute(
            "DELETE FROM resources WHERE scope = ?1 AND kind = ?2 AND id = ?3",
            params![scope.key(), kind, id],
        )?;
        Ok(n > 0)
    }

    /// Resources of one kind in a scope, in creation order.
    pub fn list<T: DeserializeOwned>(&self, scope: &Scope, kind: &str) -> Result<Vec<T>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT body FROM resources WHERE scope = ?1 AND kind = ?2 ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![scope.key(), kind], |row| row.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            out.push(serde_json::from_str(&body?)?);
        }
        Ok(out)
    }

    /// Resources of one kind in every scope (for the reconciler).
    pub fn list_all<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<(Scope, T)>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT scope, body FROM resources WHERE kind = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map(params![kind], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (scope, body) = row?;
            out.push((Scope::from_key(&scope), serde_json::from_str(&body)?));
        }
        Ok(out)
    }

    pub fn add_event(&self, scope: &Scope, event: &Event) -> Result<()> {
        self.db.execute(
            "INSERT INTO events (scope, source_type, source_id, message, date_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                scope.key(),
                event.source_type,
                event.source_identifier,
                event.message,
                event.date_ms as i64
            ],
        )?;
        Ok(())
    }

    /// Events in a scope since `since_ms`, oldest first.
    pub fn events(&self, scope: &Scope, since_ms: u64, until_ms: u64) -> Result<Vec<Event>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT source_type, source_id, message, date_ms FROM events
             WHERE scope = ?1 AND date_ms >= ?2 AND date_ms <= ?3 ORDER BY seq",
        )?;
        let rows = stmt.query_map(
            params![scope.key(), since_ms as i64, until_ms as i64],
            |row| {
                Ok(Event {
                    source_type: row.get(0)?,
                    source_identifier: row.get(1)?,
                    message: row.get(2)?,
                    date_ms: row.get::<_, i64>(3)? as u64,
                })
            },
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// A resource's tags, in the order they were first added.
    pub fn tags(&self, arn: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT key, value FROM tags WHERE arn = ?1 ORDER BY position, key")?;
        let rows = stmt.query_map(params![arn], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn set_tags(&self, arn: &str, tags: &[(String, String)]) -> Result<()> {
        for (key, value) in tags {
            self.db.execute(
                "INSERT INTO tags (arn, key, value, position)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM tags WHERE arn = ?1))
                 ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value",
                params![arn, key, value],
            )?;
        }
        Ok(())
    }

    pub fn remove_tags(&self, arn: &str, keys: &[String]) -> Result<()> {
        for key in keys {
            self.db.execute(
                "DELETE FROM tags WHERE arn = ?1 AND key = ?2",
                params![arn, key],
            )?;
        }
        Ok(())
    }

    pub fn delete_tags(&self, arn: &str) -> Result<()> {
        self.db
            .execute("DELETE FROM tags WHERE arn = ?1", params![arn])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CacheSubnetGroup;

    fn scope() -> Scope {
        Scope {
            account: "000000000000".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn documents_round_trip_and_survive_reopen() {
        let dir = std::env::temp_dir().join(format!("ferrocache-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("control.db");
        let group = CacheSubnetGroup {
            name: "g".into(),
            description: "d".into(),
            vpc_id: "vpc-1".into(),
            subnet_ids: vec!["subnet-1".into()],
        };
        {
            let store = Store::open(&path).unwrap();
            store
                .put(&scope(), kind::SUBNET_GROUP, "g", &group)
                .unwrap();
            store
                .set_tags(
                    "arn:x",
                    &[("b".into(), "1".into()), ("a".into(), "2".into())],
                )
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let back: CacheSubnetGroup = store
            .get(&scope(), kind::SUBNET_GROUP, "g")
            .unwrap()
            .unwrap();
        assert_eq!(back.subnet_ids, ["subnet-1"]);
        assert_eq!(
            store
                .list::<CacheSubnetGroup>(&scope(), kind::SUBNET_GROUP)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(store.tags("arn:x").unwrap()[0].0, "b");
        assert!(store.delete(&scope(), kind::SUBNET_GROUP, "g").unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
