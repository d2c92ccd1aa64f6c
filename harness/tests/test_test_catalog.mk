test_test_catalog_DEPS := test_catalog fsutil log proc cache clock
