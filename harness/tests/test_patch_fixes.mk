test_patch_fixes_DEPS := patch_fixes patch_series fsutil hash log proc clock host_tools strv
