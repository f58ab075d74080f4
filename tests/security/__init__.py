"""The security suite: each module keeps one finding of the hardening review closed."""
