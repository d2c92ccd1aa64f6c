test_console_watch_DEPS := console_watch fsutil
