"""Units (spaces), their members and local roles."""
