"""The coordinator's district pages (Phòng LĐTBXH)."""
