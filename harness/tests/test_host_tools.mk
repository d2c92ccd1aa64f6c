test_host_tools_DEPS := host_tools image_build cpio clock fsutil hash log proc strv
