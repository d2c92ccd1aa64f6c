test_mutant_claims_DEPS := mutant_claims test_cases strv fsutil log
