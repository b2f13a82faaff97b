//! One file per rule: its code, severity, documentation and check. The table in
//! `registry.rs` lists them.

pub mod broken_line_continuation;
pub mod invalid_suppression;
pub mod syntax_error;
pub mod unused_suppression;

// Rules of the cmdlets, identifiers and auth-server groups, in name order:
pub mod abbreviated_parameter;
pub mod ambiguous_parameter;
pub mod cmdlet_support;
pub mod invalid_enum_value;
pub mod malformed_guid;
pub mod metadata_cloud_mismatch;
pub mod metadata_url;
pub mod missing_argument;
pub mod missing_mandatory_parameter;
pub mod near_well_known_id;
pub mod parameter_set_conflict;
pub mod spn_format;
pub mod too_many_positionals;
pub mod unknown_parameter;
pub mod wrong_well_known_id;

// Rules of the credentials, principals, session and config groups, in name order:
pub mod certificate_expiring;
pub mod cmdlet_before_connect;
pub mod config_certificate_mismatch;
pub mod config_tenant_mismatch;
pub mod config_unknown_spn;
pub mod credential_end_before_start;
pub mod credential_expiring;
pub mod credential_outside_certificate;
pub mod culture_dependent_date;
pub mod get_cstenant_on_premises;
pub mod list_replaced;
pub mod not_a_certificate;
pub mod remove_all_keys;
pub mod sign_usage_with_asymmetric;
pub mod spn_added_without_check;

// Rules of the variables, security, encoding and retired groups, in name order:
pub mod invoke_expression;
pub mod msonline_retired;
pub mod non_ascii_without_bom;
pub mod null_on_the_right;
pub mod plaintext_password;
pub mod typographic_character;
pub mod undefined_variable;
pub mod x509_import;
