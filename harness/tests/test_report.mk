test_report_DEPS := report_ktap report_junit report_json report_summary result ktap console_watch fsutil
