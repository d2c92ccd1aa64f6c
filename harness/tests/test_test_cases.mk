test_test_cases_DEPS := test_cases test_catalog matrix fsutil strv log proc cache clock host_tools
