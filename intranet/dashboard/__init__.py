"""Each user's home page: what waits for them."""
