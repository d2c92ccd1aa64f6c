test_patch_series_DEPS := patch_series fsutil hash log proc clock host_tools strv
