test_cache_DEPS := cache fsutil log
