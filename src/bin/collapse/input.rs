//! Reading input with limits checked before and while reading, and error messages kept to one
//! line that never echo much of the input.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Largest scenario file accepted: 1 MiB (a scenario is a small JSON object; the full one
/// printed by `collapse scenario` is under 1 KiB).
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// Most characters of the input an error message quotes.
pub const MAX_ECHO: usize = 100;

/// Reads at most `limit` bytes from a file, or from standard input for `-`: a regular file
/// larger than that is refused before reading (its length), a stream (a pipe, `/dev/zero`) once
/// `limit + 1` bytes have come. `what` names the input in the message.
pub fn read_limited(path: &str, limit: u64, what: &str, limit_text: &str) -> Result<Vec<u8>, ReadError> {
    let too_large = |size: Option<u64>| {
        let size = size.map_or_else(|| "more".to_string(), |s| format!("{s} bytes; that is more"));
        ReadError::TooLarge(format!("{what} {}: too large ({size} than {limit_text} are accepted)", clip(path)))
    };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        io::stdin().lock().take(limit + 1).read_to_end(&mut bytes)
    } else {
        let file = File::open(Path::new(path)).map_err(ReadError::Open)?;
        if let Ok(meta) = file.metadata() {
            if meta.is_file() && meta.len() > limit {
                return Err(too_large(Some(meta.len())));
            }
        }
        file.take(limit + 1).read_to_end(&mut bytes)
    };
    read.map_err(|e| ReadError::Other(format!("reading {what} {}: {e}", clip(path))))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(bytes)
}

pub enum ReadError {
    /// The file could not be opened.
    Open(io::Error),
    TooLarge(String),
    Other(String),
}

/// The scenario text of `--scenario` (empty without one): bounded, UTF-8, a leading byte-order
/// mark dropped.
pub fn scenario_text(source: Option<&str>) -> Result<String, String> {
    let Some(path) = source else { return Ok(String::new()) };
    let bytes = read_limited(path, MAX_SCENARIO_BYTES, "scenario", "1 MiB (1048576 bytes)").map_err(|e| match e {
        ReadError::Open(e) => format!("reading scenario {}: {e}", clip(path)),
        ReadError::TooLarge(m) | ReadError::Other(m) => m,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "scenario {}: not UTF-8 text (invalid byte at offset {}); a scenario is a JSON object",
            clip(path),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Shortens a piece of input to [`MAX_ECHO`] characters, with an ellipsis, and on one line.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(MAX_ECHO).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() > MAX_ECHO {
        out.push('…');
    }
    out
}

/// An error message as printed: one line; any quoted piece (in backticks or double quotes) and
/// any unbroken run of characters longer than [`MAX_ECHO`] shortened with an ellipsis.
pub fn one_line(message: &str) -> String {
    let flat: String = message.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::new();
    let mut rest = flat.as_str();
    while let Some(start) = rest.find(['`', '"']) {
        let quote = rest[start..].chars().next().unwrap_or('`');
        out.push_str(&clip_words(&rest[..=start]));
        rest = &rest[start + 1..];
        match rest.find(quote) {
            Some(end) => {
                out.push_str(&clip_words(&clip(&rest[..end])));
                out.push(quote);
                rest = &rest[end + 1..];
            }
            None => break,
        }
    }
    out.push_str(&clip_words(rest));
    out
}

fn clip_words(s: &str) -> String {
    s.split(' ').map(clip).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_is_clipped_and_messages_stay_on_one_line() {
        let long = "x".repeat(10_000);
        assert_eq!(clip(&long).chars().count(), MAX_ECHO + 1);
        let m = one_line(&format!("filter.kind: unknown variant `{long}`, expected one of `none`, `quality`"));
        assert!(m.len() < 200 && m.ends_with("expected one of `none`, `quality`"), "{m}");
        let spaced = "a ".repeat(5000);
        let m = one_line(&format!("samples: invalid type: string \"{spaced}\", expected u32\nsecond line"));
        assert!(m.len() < 200 && !m.contains('\n'), "{m}");
        assert_eq!(one_line("plain: `short` stays"), "plain: `short` stays");
    }
}
