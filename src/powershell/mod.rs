//! Reading PowerShell: decoding script bytes, the pest grammar binding, the typed AST and parse
//! errors. This is the only module that uses pest.
