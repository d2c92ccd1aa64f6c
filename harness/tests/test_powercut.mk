test_powercut_DEPS := powercut clock fsutil log
