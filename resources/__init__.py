"""Icons, desktop integration files and screenshots, shipped inside the package."""
