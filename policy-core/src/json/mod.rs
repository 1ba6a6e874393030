//! A JSON reader that keeps where every value came from: byte spans and line:column for every
//! value and key, so the bundle validator can point at the exact place of a problem.
