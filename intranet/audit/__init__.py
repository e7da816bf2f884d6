"""The audit trail: writes, sensitive reads and exports."""
