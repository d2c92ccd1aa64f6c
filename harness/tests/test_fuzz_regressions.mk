# The fuzz targets make fuzz runs (harness/fuzz/fuzz_targets.c), replayed.
test_fuzz_regressions_DEPS := fuzz/fuzz_targets ktap report_ktap result console_watch agent_stream fsutil
