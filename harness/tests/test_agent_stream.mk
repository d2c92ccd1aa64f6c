# The plan round trip compiles in the agent's parser, guest/plan.c.
test_agent_stream_DEPS := agent_stream
$(BUILD)/unit/test_agent_stream: guest/plan.c
