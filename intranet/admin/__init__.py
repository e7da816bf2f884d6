"""Administration: users, plugins, and the audit trail."""
