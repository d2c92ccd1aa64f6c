test_kernel_source_DEPS := kernel_source fsutil hash log proc clock host_tools strv
