test_compare_DEPS := compare report_json_read result ktap console_watch fsutil log
