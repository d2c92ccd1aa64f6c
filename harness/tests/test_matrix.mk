test_matrix_DEPS := matrix fsutil log strv
