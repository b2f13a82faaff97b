//! Well-known identifiers and per-cloud endpoints of the cross-premises procedure.
