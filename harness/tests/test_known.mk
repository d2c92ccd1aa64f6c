test_known_DEPS := known result ktap console_watch fsutil log
