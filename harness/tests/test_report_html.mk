test_report_html_DEPS := report_html report_grid report_json report_json_read report_rerender report_summary result ktap console_watch fsutil log
