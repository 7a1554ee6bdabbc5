//! What each column of the data text holds: read from its header, or chosen by the person.
//!
//! A choice is kept beside the text (in the page's state and its share link), keyed by the
//! header as written, so the person's header stays exactly as they typed it: `val` chosen to
//! hold the loss is still `val` in the text, in the table and in every export of the text.

use super::dataset::Quantity;
use std::collections::BTreeMap;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A quantity of the data (N, D, C, L, P).
    Quantity(Quantity),
    /// The points' names (shown beside them on the chart and kept in exports).
    Name,
    /// Nothing the calculator reads.
    Ignored,
}

impl Role {
    /// Every role a person can choose, in the order a menu offers them.
    pub fn all() -> impl Iterator<Item = Role> {
        Quantity::ALL
            .into_iter()
            .map(Role::Quantity)
            .chain([Role::Name, Role::Ignored])
    }

    /// The role a header names by itself: a quantity (`Quantity::from_header`), the names
    /// (`model`, `name`, `run`, `label`, any case), or nothing.
    pub fn of_header(header: &str) -> Role {
        if let Some(q) = Quantity::from_header(header) {
            return Role::Quantity(q);
        }
        match header.trim().to_lowercase().as_str() {
            "model" | "name" | "run" | "label" => Role::Name,
            _ => Role::Ignored,
        }
    }

    /// The role's stable id (share links, the page's `column-map-COL` select): the quantity's
    /// symbol, `name` or `ignored`.
    pub fn id(self) -> &'static str {
        match self {
            Role::Quantity(q) => q.symbol(),
            Role::Name => "name",
            Role::Ignored => "ignored",
        }
    }

    /// The role of an id, if it is one.
    pub fn from_id(id: &str) -> Option<Role> {
        Role::all().find(|r| r.id() == id)
    }
}

/// The roles a person chose for columns, by header (trimmed, as written); every other column
/// has the role its header names.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ColumnMap {
    chosen: BTreeMap<String, Role>,
}

impl ColumnMap {
    /// The role of the column headed `header`.
    pub fn role(&self, header: &str) -> Role {
        let header = header.trim();
        self.chosen
            .get(header)
            .copied()
            .unwrap_or_else(|| Role::of_header(header))
    }

    /// Chooses a column's role; choosing what its header names by itself drops the choice
    /// (nothing to keep).
    pub fn set(&mut self, header: &str, role: Role) {
        let header = header.trim();
        if Role::of_header(header) == role {
            self.chosen.remove(header);
        } else {
            self.chosen.insert(header.to_string(), role);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }

    /// Forgets the choices for headers the data no longer has.
    pub fn keep_only(&mut self, headers: &[String]) {
        self.chosen
            .retain(|h, _| headers.iter().any(|other| other.trim() == h));
    }

    /// The choices as ids (header → role id), as a share link keeps them.
    pub fn to_ids(&self) -> BTreeMap<String, String> {
        self.chosen
            .iter()
            .map(|(h, r)| (h.clone(), r.id().to_string()))
            .collect()
    }

    /// Choices from ids; an id that names no role is left out (the header's own role holds).
    pub fn from_ids(ids: &BTreeMap<String, String>) -> ColumnMap {
        let mut map = ColumnMap::default();
        for (header, id) in ids {
            if let Some(role) = Role::from_id(id) {
                map.set(header, role);
            }
        }
        map
    }
}
