test_progress_DEPS := progress clock
