//! A small XML writer for Query-protocol responses.
//!
//! Responses are element trees with text leaves: `<Name>value</Name>`, nested
//! structures, and lists whose member elements carry the list's own member name
//! (`<CacheNodes><CacheNode>...</CacheNode></CacheNodes>`), as the ElastiCache model
//! names them. Absent optional fields are simply not written.

use std::fmt::Display;

#[derive(Default)]
pub struct Xml {
    out: String,
}

impl Xml {
    pub fn new() -> Xml {
        Xml::default()
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// `<name>text</name>`, text escaped.
    pub fn text(&mut self, name: &str, value: impl Display) -> &mut Xml {
        let value = value.to_string();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        escape_into(&value, &mut self.out);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// Writes `<name>` only when the value is present.
    pub fn opt(&mut self, name: &str, value: Option<impl Display>) -> &mut Xml {
        if let Some(value) = value {
            self.text(name, value);
        }
        self
    }

    /// Escaped text with no element around it (a list member that is a plain value).
    pub fn text_only(&mut self, value: &str) -> &mut Xml {
        escape_into(value, &mut self.out);
        self
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Xml {
        self.text(name, if value { "true" } else { "false" })
    }

    /// `<name>` ... `</name>` around whatever `body` writes.
    pub fn element(&mut self, name: &str, body: impl FnOnce(&mut Xml)) -> &mut Xml {
        self.open(name);
        body(self);
        self.close(name);
        self
    }

    /// A list: `<name><member>..</member>...</name>`, each member written by `item`.
    pub fn list<T>(
        &mut self,
        name: &str,
        member: &str,
        items: impl IntoIterator<Item = T>,
        mut item: impl FnMut(&mut Xml, T),
    ) -> &mut Xml {
        self.open(name);
        for value in items {
            self.open(member);
            item(self, value);
            self.close(member);
        }
        self.close(name);
        self
    }

    /// A list of plain strings: `<name><member>text</member>...</name>`.
    pub fn strings<'a>(
        &mut self,
        name: &str,
        member: &str,
        items: impl IntoIterator<Item = &'a String>,
    ) -> &mut Xml {
        self.open(name);
        for value in items {
            self.text(member, value);
        }
        self.close(name);
        self
    }

    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }
}

pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_use_their_member_names_and_text_is_escaped() {
        let mut xml = Xml::new();
        xml.element("R", |x| {
            x.text("Id", "a<b&c").opt("None", None::<&str>).strings(
                "SubnetIds",
                "SubnetIdentifier",
                &["s-1".to_string()],
            );
        });
        assert_eq!(
            xml.finish(),
            "<R><Id>a&lt;b&amp;c</Id><SubnetIds><SubnetIdentifier>s-1</SubnetIdentifier></SubnetIds></R>"
        );
    }
}
