"""Personal access keys: long-lived credentials a user creates for scripts and apps."""
