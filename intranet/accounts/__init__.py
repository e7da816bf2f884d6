"""Users, sign-in and sign-out, passwords, throttling, sessions and API tokens."""
