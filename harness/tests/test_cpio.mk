test_cpio_DEPS := cpio fsutil proc clock host_tools strv log
