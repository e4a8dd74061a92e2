"""Free and subsidized care: coverage schemes and decisions, care lines and claims,
verification, payments and budgets."""
