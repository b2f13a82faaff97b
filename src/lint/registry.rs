//! The table of every rule, in the order `xprem rules` lists them (by group). A rule exists when
//! it is in this table: the linter runs what is here, `explain` and `--select` know what is here,
//! and the tests check every entry's documentation and examples.

use super::rule::Rule;
use super::rules;

/// Every rule.
pub static RULES: &[&Rule] = &[
    &rules::syntax_error::RULE,
    &rules::broken_line_continuation::RULE,
    // cmdlets: add rules of Group::Cmdlets below this line.
    &rules::unknown_parameter::RULE,
    &rules::abbreviated_parameter::RULE,
    &rules::ambiguous_parameter::RULE,
    &rules::missing_mandatory_parameter::RULE,
    &rules::invalid_enum_value::RULE,
    &rules::parameter_set_conflict::RULE,
    &rules::too_many_positionals::RULE,
    &rules::missing_argument::RULE,
    // identifiers
    &rules::malformed_guid::RULE,
    &rules::near_well_known_id::RULE,
    &rules::wrong_well_known_id::RULE,
    &rules::spn_format::RULE,
    // auth-server
    &rules::metadata_url::RULE,
    &rules::metadata_cloud_mismatch::RULE,
    // credentials
    &rules::culture_dependent_date::RULE,
    &rules::credential_end_before_start::RULE,
    &rules::credential_outside_certificate::RULE,
    &rules::credential_expiring::RULE,
    &rules::certificate_expiring::RULE,
    &rules::sign_usage_with_asymmetric::RULE,
    &rules::not_a_certificate::RULE,
    // principals
    &rules::spn_added_without_check::RULE,
    &rules::list_replaced::RULE,
    &rules::remove_all_keys::RULE,
    // session
    &rules::cmdlet_before_connect::RULE,
    &rules::get_cstenant_on_premises::RULE,
    // variables
    &rules::undefined_variable::RULE,
    // security
    &rules::plaintext_password::RULE,
    &rules::invoke_expression::RULE,
    // encoding
    &rules::non_ascii_without_bom::RULE,
    &rules::typographic_character::RULE,
    // retired
    &rules::msonline_retired::RULE,
    &rules::x509_import::RULE,
    &rules::null_on_the_right::RULE,
    // config
    &rules::config_tenant_mismatch::RULE,
    &rules::config_unknown_spn::RULE,
    &rules::config_certificate_mismatch::RULE,
    // suppressions
    &rules::invalid_suppression::RULE,
    &rules::unused_suppression::RULE,
];

/// The rule with this code (ignoring case).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The code closest to `written`, for a "did you mean".
pub fn suggest(written: &str) -> Option<&'static str> {
    crate::catalog::did_you_mean(written, RULES.iter().map(|r| r.code))
}
