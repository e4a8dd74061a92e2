"""Jigiya: community health, savings groups, cooperatives and health-center quality."""
