//! Script text from bytes: a file or standard input may hold anything, so invalid UTF-8 is an
//! error that says where, like every other script error.

use crate::script::RunError;

/// Decodes a script's bytes; invalid UTF-8 is `FILE:LINE:COL: the script is not valid UTF-8
/// (byte 0xNN)`, where LINE and COL (in characters, from 1) point at the first bad byte.
pub fn decode_utf8(file: &str, bytes: Vec<u8>) -> Result<String, RunError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            // Everything before `at` is valid UTF-8.
            let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let line = good.matches('\n').count() as u32 + 1;
            let line_start = good.rfind('\n').map_or(0, |i| i + 1);
            let col = good[line_start..].chars().count() as u32 + 1;
            Err(RunError {
                file: file.to_string(),
                line,
                col,
                message: format!("the script is not valid UTF-8 (byte {:#04x})", bytes[at]),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let e = decode_utf8("x.zks", b"servers 3\nstart \xc3\xa9 \xff 2\n".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.zks:2:9: the script is not valid UTF-8 (byte 0xff)"
        );
        let e = decode_utf8("-", b"\xc3".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "-:1:1: the script is not valid UTF-8 (byte 0xc3)"
        );
        assert_eq!(decode_utf8("x", b"ok".to_vec()).unwrap(), "ok");
    }
}
