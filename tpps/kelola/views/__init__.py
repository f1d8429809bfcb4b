"""Pages of the management area: users and assignments (pengguna), reference data (acuan)."""
