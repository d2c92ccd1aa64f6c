test_shard_DEPS := shard
