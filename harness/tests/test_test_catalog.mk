test_test_catalog_DEPS := test_catalog test_cases matrix strv fsutil log proc cache clock host_tools
