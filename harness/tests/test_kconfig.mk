test_kconfig_DEPS := kconfig fsutil log
