test_cpio_DEPS := cpio fsutil proc clock
