"""The repository's feature suites that need the reference backend (the any-CSMS ones: `evharness.suites`)."""
