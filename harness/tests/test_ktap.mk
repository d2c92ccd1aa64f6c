test_ktap_DEPS := ktap fsutil
