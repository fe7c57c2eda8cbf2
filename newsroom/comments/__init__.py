"""A comment's life: intake, the policy that judges it, and the records it leaves."""
