// Unit tests of the plan's decisions live in tests/cli_plan.rs, through the binary and the
// fixtures; here only the small helpers.

use super::*;

#[test]
fn days_read_as_words() {
    assert_eq!(days_text(0), "today");
    assert_eq!(days_text(3), "in 3 days");
    assert_eq!(days_text(-1), "1 day ago");
}

#[test]
fn actions_are_written_as_terraform_writes_them() {
    assert_eq!(Action::Replace.actions(), ["delete", "create"]);
    assert_eq!(Action::NoOp.actions(), ["no-op"]);
    assert_eq!(Action::Replace.symbol(), "-/+");
}
