test_recipe_DEPS := recipe strv fsutil log
