"""What the reference backend recorded of a charging session (its database; deselected with --csms-url)."""
