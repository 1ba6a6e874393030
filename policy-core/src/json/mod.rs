//! A JSON reader that keeps where every value came from: byte spans and line:column for every
//! value and key, so the bundle validator can point at the exact place of a problem.
//!
//! [`parse`] reads RFC 8259 JSON text into a [`Value`] tree. Unlike `serde_json` it refuses
//! duplicate object keys (a hand-edited bundle with two `"routes"` keys is a mistake, not a
//! merge) and it limits nesting to [`MAX_DEPTH`]. [`Value::pointer`] follows RFC 6901 JSON
//! pointers, and [`canonical`] writes the canonical form the bundle hash is computed over. Typed
//! models are decoded from the tree by hand; a value that does not fit gives a [`DeError`] with
//! its pointer and line:column.
//!
//! Lines and columns are 1-based; columns count Unicode scalar values (characters), not bytes,
//! so they match what editors show for text without tabs.

mod canonical;
mod de;
pub(crate) mod decode;
mod minify;
mod parser;
mod pointer;
mod value;

pub use canonical::{canonical, write_string};
pub use de::DeError;
pub use minify::{minified_len, minify};
pub use parser::{MAX_DEPTH, ParseError, parse};
pub use pointer::{escape_token, push_token};
pub use value::{Member, Number, Span, Value, ValueKind};
