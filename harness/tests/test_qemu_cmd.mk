test_qemu_cmd_DEPS := qemu_cmd strv
