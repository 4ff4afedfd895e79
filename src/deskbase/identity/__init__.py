"""Identity: users, passwords and sign-in sessions."""
