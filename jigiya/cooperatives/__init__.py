"""Women's cooperatives: members, equipment, products and prices, production, stock, orders,
sales, distributions, member income, the union and trainings."""
